// Log Analytics Reader on one workspace that holds APIM gateway logs, wherever it lives. Returns the
// workspace GUID, which is what APIMBOT_LOG_WORKSPACE_IDS and the query API take.

@description('Name of the workspace, in this module\'s resource group.')
param workspaceName string

@description('Object id of apimbot\'s identity.')
param principalId string

var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource logReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, principalId, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'apimbot queries ApiManagementGatewayLogs for auth-failure bursts.'
  }
}

@description('Workspace id (GUID) used by the Log Analytics query API.')
output customerId string = workspace.properties.customerId
