// Log Analytics workspace (Container Apps logs, alert queries) and a workspace-based
// Application Insights component (requests, traces and the app's custom events).

@description('Log Analytics workspace name.')
param logAnalyticsName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Azure region; the caller passes the resource group location.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    RetentionInDays: retentionInDays
  }
}

@description('Resource id of the Log Analytics workspace.')
output logAnalyticsId string = workspace.id

@description('Name of the Log Analytics workspace.')
output logAnalyticsName string = workspace.name

@description('Resource id of the Application Insights component.')
output applicationInsightsId string = applicationInsights.id

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('Connection string of the component (an identifier, not a credential).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
