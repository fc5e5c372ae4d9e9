// Alerts on the custom events the app writes to Application Insights. The event names below
// are the single place the infrastructure knows them; the app emits the same names.

@description('Action group name.')
param actionGroupName string

@description('Prefix of the scheduled query rule names.')
param alertNamePrefix string

@description('Azure region of the Application Insights component.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource id of the Application Insights component the queries run on.')
param applicationInsightsId string

@description('Optional e-mail address that receives alerts; empty for none.')
param alertEmailAddress string = ''

@description('Optional webhook (e.g. a chat or paging endpoint) that receives alerts in the common alert schema; empty for none.')
@secure()
param alertWebhookUrl string = ''

@description('How often the queries run and the window they look at (ISO 8601).')
@allowed([
  'PT5M'
  'PT10M'
  'PT15M'
  'PT30M'
  'PT1H'
])
param evaluationWindow string = 'PT5M'

// Custom events emitted by ModelFunctions (customEvents.name) and how loud each one is.
var alertEvents = [
  {
    key: 'drift'
    eventName: 'ModelFunctions.DriftAlert'
    displayName: 'Model input or prediction drift'
    description: 'The drift check found a feature or prediction distribution beyond its threshold.'
    severity: 2
  }
  {
    key: 'error-rate'
    eventName: 'ModelFunctions.ErrorRateAlert'
    displayName: 'Inference error rate above threshold'
    description: 'The share of failed inference requests rose above the configured limit.'
    severity: 1
  }
  {
    key: 'latency'
    eventName: 'ModelFunctions.LatencyAlert'
    displayName: 'Inference p95 latency above its SLO'
    description: 'The 95th percentile of inference latency rose above the configured SLO.'
    severity: 2
  }
  {
    key: 'canary-rollback'
    eventName: 'ModelFunctions.CanaryRollback'
    displayName: 'Canary model version rolled back'
    description: 'A canary version was taken out of service and traffic went back to the stable version.'
    severity: 1
  }
]

var emailReceivers = empty(alertEmailAddress) ? [] : [
  {
    name: 'email'
    emailAddress: alertEmailAddress
    useCommonAlertSchema: true
  }
]

var webhookReceivers = empty(alertWebhookUrl) ? [] : [
  {
    name: 'webhook'
    serviceUri: alertWebhookUrl
    useCommonAlertSchema: true
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    enabled: true
    groupShortName: 'modelfunc'
    emailReceivers: emailReceivers
    webhookReceivers: webhookReceivers
  }
}

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in alertEvents: {
  name: '${alertNamePrefix}${alert.key}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: alert.displayName
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: evaluationWindow
    windowSize: evaluationWindow
    criteria: {
      allOf: [
        {
          query: 'customEvents | where name == "${alert.eventName}"'
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
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}]

@description('Resource id of the action group.')
output actionGroupId string = actionGroup.id

@description('Custom event names the alert rules watch.')
output watchedEvents array = [for alert in alertEvents: alert.eventName]
