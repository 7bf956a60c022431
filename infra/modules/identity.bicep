// The one identity apimbot runs as: the Functions host, the Azure reads, the bot and the telemetry all use it.

@description('Name of the user-assigned managed identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags for every resource.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client (application) id: AZURE_CLIENT_ID for @azure/identity and the bot app id.')
output clientId string = identity.properties.clientId

@description('Object id of the service principal, for role assignments.')
output principalId string = identity.properties.principalId

@description('Tenant of the identity.')
output tenantId string = identity.properties.tenantId
