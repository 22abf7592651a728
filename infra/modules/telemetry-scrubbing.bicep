// Ingestion-time scrubbing of what the Functions host sends to Application Insights on its own: the host (a process
// the app's log scrubber does not run in) records every HTTP request with its URL, so /api/survey/{token} paths and
// ?code= keys would reach the workspace. A workspace transformation rewrites them before they are stored
// (docs/deploy.md, "Telemetry and alerts"). It has to be the workspace's default rule, set on the workspace itself,
// which already exists (monitoring.bicep): the workspace is put again here with the same settings plus the rule.

param workspaceName string
param location string
param retentionDays int
param dailyCapGb int

// A survey link's token is 32 random or HMAC bytes in base64url (43 characters); the app's own files under
// /survey/ (pages.css, icon.svg) have a dot and stay readable. Keys, signatures and sign-in tickets in query strings
// go too. The patterns are RE2 (KQL's replace_regex); tests/PvpServerless.Tests/Azure/TelemetryScrubbingTests.cs
// runs them over real tokens.
var surveyTokenPattern = '/survey/[A-Za-z0-9_-]{20,}'
var secretQueryPattern = '([?&](code|sig|ticket)=)[^&#\\s"]+'

// KQL of a column with both patterns applied (a function cannot read variables: they come as arguments).
func scrubbed(column string, token string, secret string) string =>
  'replace_regex(replace_regex(${column}, @\'${token}\', \'/survey/[token]\'), @\'${secret}\', @\'\\1[redacted]\')'

var url = scrubbed('Url', surveyTokenPattern, secretQueryPattern)
var name = scrubbed('Name', surveyTokenPattern, secretQueryPattern)
var message = scrubbed('Message', surveyTokenPattern, secretQueryPattern)
var outer = scrubbed('OuterMessage', surveyTokenPattern, secretQueryPattern)
var innermost = scrubbed('InnermostMessage', surveyTokenPattern, secretQueryPattern)
var exceptionColumns = 'OuterMessage = ${outer}, InnermostMessage = ${innermost}'
var properties = 'parse_json(${scrubbed('tostring(Properties)', surveyTokenPattern, secretQueryPattern)})'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' existing = {
  name: workspaceName
}

resource rule 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: '${workspaceName}-scrubbing'
  location: location
  kind: 'WorkspaceTransforms'
  properties: {
    description: 'Survey tokens and URL keys out of the Functions host\'s requests and traces before storage.'
    dataSources: {}
    destinations: {
      logAnalytics: [
        {
          name: 'workspace'
          workspaceResourceId: workspace.id
        }
      ]
    }
    dataFlows: [
      {
        streams: ['Microsoft-Table-AppRequests']
        destinations: ['workspace']
        transformKql: 'source | extend Url = ${url}, Name = ${name}, Properties = ${properties}'
      }
      {
        streams: ['Microsoft-Table-AppTraces']
        destinations: ['workspace']
        transformKql: 'source | extend Message = ${message}, Properties = ${properties}'
      }
      {
        streams: ['Microsoft-Table-AppExceptions']
        destinations: ['workspace']
        transformKql: 'source | extend ${exceptionColumns}, Properties = ${properties}'
      }
    ]
  }
}

// The same workspace as monitoring.bicep declares it, now with the rule as its default.
resource attached 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: workspaceName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
    workspaceCapping: {
      dailyQuotaGb: dailyCapGb
    }
    defaultDataCollectionRuleResourceId: rule.id
  }
}

output ruleId string = rule.id
