// Where apimbot's own telemetry goes. Application Insights takes Entra-authenticated ingestion only, so the
// app identity gets the one role that lets it publish.

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Region of both resources.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Days of retention in the workspace.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Object id of the identity that publishes telemetry.')
param principalId string

// Monitoring Metrics Publisher: the data action Application Insights checks when local auth is off.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Connection string for APPLICATIONINSIGHTS_CONNECTION_STRING (an ingestion address, not a credential once local auth is off).')
output connectionString string = appInsights.properties.ConnectionString

@description('Resource id of the Application Insights component, the scope of the self-alerts.')
output appInsightsId string = appInsights.id

@description('Application Insights component name.')
output appInsightsName string = appInsights.name

@description('Resource id of the workspace.')
output workspaceId string = workspace.id
