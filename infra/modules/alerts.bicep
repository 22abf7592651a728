// Alerts by e-mail: a background function (the nightly report, the scheduler) failed, or a queue message was moved
// to its poison queue. Both are log queries over Application Insights (docs/deploy.md, "Alerts").

param name string
param location string
param appInsightsId string

@description('Who is told.')
param alertEmail string

@description('Names of the timer and queue functions whose failure is an alert (the test FunctionsWatched checks it).')
param watchedFunctions string[]

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${name}-operators'
  location: 'global'
  properties: {
    groupShortName: take('${name}-ops', 12)
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var watched = 'dynamic([${join(map(watchedFunctions, f => '\'${f}\''), ', ')}])'

// A failed run shows as a failed invocation, its exception, and the host's "Executed 'Functions.X' (Failed, …)" line;
// any of them is enough, whichever telemetry mode the host runs in.
var failureQuery = '''
let watched = {0};
union
  (requests | where success == false
            | project fn = coalesce(tostring(customDimensions['faas.name']), operation_Name, name)),
  (exceptions | project fn = coalesce(tostring(customDimensions['faas.name']), operation_Name)),
  (traces | where severityLevel >= 3 and message startswith "Executed 'Functions." and message has "(Failed"
          | project fn = extract(@"Executed 'Functions\.([^']+)'", 1, message))
| where fn in (watched)
'''

// The Functions host logs "Message has reached MaxDequeueCount of 5. Moving message to queue '{queue}-poison'."
var poisonQuery = '''
traces
| where message has "Moving message to queue" and message has "-poison"
'''

resource functionFailed 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${name}-background-function-failed'
  location: location
  properties: {
    displayName: 'A background function failed'
    description: 'The nightly report or another watched function failed: its exceptions are in Application Insights.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: format(failureQuery, watched)
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [operators.id]
    }
  }
}

resource messagePoisoned 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${name}-poison-queue'
  location: location
  properties: {
    displayName: 'A queue message was moved to a poison queue'
    description: 'A message failed 5 times and waits in a {queue}-poison queue of the data account (docs/deploy.md).'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: poisonQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // Stateless: one e-mail per quarter hour in which messages were poisoned; the message itself stays in the
    // poison queue until an operator deals with it.
    autoMitigate: false
    actions: {
      actionGroups: [operators.id]
    }
  }
}
