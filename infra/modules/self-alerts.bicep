// apimbot cannot report its own death, so Azure Monitor watches it: one rule for "no sweep has completed
// lately" and one for a burst of failed invocations, both mailed to the operators.

@description('Region of the rules (the component\'s region).')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Prefix for the alert and action group names.')
param namePrefix string

@description('Resource id of the Application Insights component the app reports to.')
param appInsightsId string

@description('Mailbox that receives the alerts.')
param alertEmail string

@description('How long without a completed sweep before the alert fires; must be longer than the sweep interval.')
param heartbeatWindow string = 'PT30M'

@description('Failed invocations within 15 minutes that count as a spike.')
@minValue(1)
param failureThreshold int = 5

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-operators'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'apimbot'
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

// The sweep logs the trace "sweep completed" (with its counts in customDimensions) each time it finishes.
// Zero such traces in the window means the timer stopped, the host is down, or every sweep threw.
resource sweepHeartbeat 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-no-sweep'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'apimbot: no sweep completed'
    description: 'No "sweep completed" trace reached Application Insights within the window. apimbot is not watching the estate: check the function app, its last invocations and its identity\'s role assignments.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: heartbeatWindow
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'traces | where message startswith "sweep completed"'
          timeAggregation: 'Count'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

resource failureSpike 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-failures'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'apimbot: failed invocations'
    description: 'apimbot function invocations are failing. Open the exceptions in Application Insights; a ConfigError names the setting to fix.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          // 4xx answers from the bot endpoint (a forged or expired Bot Service token) are the endpoint doing its job.
          query: 'requests | where success == false and not(resultCode startswith "4")'
          timeAggregation: 'Count'
          operator: 'GreaterThanOrEqual'
          threshold: failureThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

@description('Resource id of the operators\' action group.')
output actionGroupId string = actionGroup.id
