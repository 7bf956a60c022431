// The Azure Bot registration that connects Teams to /api/messages. It authenticates as the app's user-assigned
// identity, so there is no app password to store or rotate.

@description('Bot resource name (2-64 letters, digits, dot, dash or underscore).')
param name string

@description('Name people see in Teams.')
param displayName string

@description('Tags for every resource.')
param tags object = {}

@description('Pricing tier: F0 is free and enough for Teams.')
@allowed(['F0', 'S1'])
param sku string = 'F0'

@description('HTTPS endpoint that receives Bot Framework activities.')
param endpoint string

@description('Client id of the user-assigned identity (the bot app id).')
param identityClientId string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Tenant of the identity.')
param tenantId string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: identityId
    publicNetworkAccess: 'Enabled'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('Bot resource name.')
output name string = bot.name
