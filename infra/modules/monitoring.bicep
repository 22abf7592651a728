// Logs and traces: a Log Analytics workspace with a daily cap, and workspace-based Application Insights that accepts
// only Entra ID-authenticated telemetry (the app's managed identity, role Monitoring Metrics Publisher).

param name string
param location string

@description('Days the logs are kept; 30 is the free retention of Log Analytics.')
@minValue(30)
@maxValue(730)
param retentionDays int = 30

@description('Ingestion stops for the day above this many GB: a runaway log loop cannot run up the bill.')
param dailyCapGb int = 1

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
    workspaceCapping: {
      dailyQuotaGb: dailyCapGb
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

// Tokens in the host's request URLs are rewritten at ingestion (telemetry-scrubbing.bicep).
module scrubbing 'telemetry-scrubbing.bicep' = {
  name: 'telemetry-scrubbing'
  params: {
    workspaceName: workspace.name
    location: location
    retentionDays: retentionDays
    dailyCapGb: dailyCapGb
  }
}

output appInsightsName string = appInsights.name
output appInsightsId string = appInsights.id
output connectionString string = appInsights.properties.ConnectionString
output scrubbingRuleId string = scrubbing.outputs.ruleId
