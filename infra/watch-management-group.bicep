// Optional: read access for apimbot across a whole management group, instead of (or as well as) named
// subscriptions. A subscription-scope deployment cannot write above its own subscription, so this is a
// deployment of its own; azure.yaml runs it after `azd up` when APIMBOT_MANAGEMENT_GROUP_ID is set.
//   az deployment mg create --management-group-id <mg> --location <region> \
//     --template-file infra/watch-management-group.bicep --parameters principalId=<APIMBOT_IDENTITY_PRINCIPAL_ID>
targetScope = 'managementGroup'

@description('Object id of apimbot\'s identity (azd output APIMBOT_IDENTITY_PRINCIPAL_ID).')
param principalId string

var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
var monitoringReaderRoleId = '43d0d8ad-25c7-4714-9337-8ba259a9fe05'

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, readerRoleId)
  properties: {
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'apimbot reads APIM instances, their configuration and the Activity Log in every subscription below.'
  }
}

resource monitoringReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, monitoringReaderRoleId)
  properties: {
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', monitoringReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'apimbot reads APIM metrics and diagnostic settings in every subscription below.'
  }
}
