// apimbot in one resource group, plus read-only role assignments where the watched estate lives.
// `azd up` deploys this file with infra/main.parameters.json; docs/deploy.md walks through it.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region for apimbot\'s resources. It must offer Flex Consumption: az functionapp list-flexconsumption-locations.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group to create or reuse; empty means rg-<environmentName>.')
param resourceGroupName string = ''

@description('Subscription ids to watch, comma-separated. apimbot gets Reader and Monitoring Reader on each and sweeps exactly these. Empty means every subscription it can read (pair it with a management-group assignment).')
param watchedSubscriptionIds string = ''

@description('Resource ids of the Log Analytics workspaces that hold APIM gateway logs, comma-separated. apimbot gets Log Analytics Reader on each and queries them.')
param gatewayLogWorkspaceResourceIds string = ''

@description('Mailbox that hears about apimbot itself failing or going quiet.')
@minLength(3)
param alertEmail string

@description('NCRONTAB schedule of the sweep (six fields).')
param sweepSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the weekly hygiene report (six fields, UTC).')
param reportSchedule string = '0 0 8 * * 1'

@description('How long without a completed sweep before the self-alert fires (ISO 8601); keep it above the sweep interval.')
param heartbeatWindow string = 'PT30M'

@description('Tenant ids allowed to talk to the bot, comma-separated; empty means only this tenant.')
param allowedTenants string = ''

@description('Users (object ids or UPNs) allowed to ack, snooze and silence, comma-separated; empty means anyone in the conversation.')
param actionUsers string = ''

@description('Minutes between re-reads of subscription contracts, diagnostic settings and workspaces.')
@minValue(1)
@maxValue(10080)
param contractsRefreshMinutes int = 60

@description('Reminder ladder for expiring subscription keys, in days, comma-separated.')
param reminderDays string = '30,14,7,1'

@description('Concurrent per-instance reads in one sweep.')
@minValue(1)
@maxValue(64)
param concurrency int = 8

@description('Routing rules as a JSON array (see docs/settings.md); empty sends every finding to every installed conversation.')
param routes string = ''

@description('Name of the bot in Teams.')
param botDisplayName string = 'apimbot'

@description('Azure Bot pricing tier.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Upper bound on Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

// Comma-separated strings, because an azd environment variable is a string; blanks and stray spaces are dropped.
var watchedSubscriptionList = filter(map(split(watchedSubscriptionIds, ','), id => trim(id)), id => !empty(id))
var gatewayLogWorkspaceList = filter(map(split(gatewayLogWorkspaceResourceIds, ','), id => trim(id)), id => !empty(id))
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'apimbot'
}
var functionAppName = 'func-apimbot-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-apimbot-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stapimbot${take(resourceToken, 13)}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: 'log-apimbot-${resourceToken}'
    appInsightsName: 'appi-apimbot-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module watched 'modules/watch-subscription.bicep' = [
  for subscriptionId in watchedSubscriptionList: {
    // Unique per apimbot environment: two environments may watch the same subscription.
    name: 'apimbot-watch-${uniqueString(subscriptionId, resourceToken)}'
    scope: subscription(subscriptionId)
    params: {
      principalId: identity.outputs.principalId
    }
  }
]

module workspaceReaders 'modules/workspace-reader.bicep' = [
  for workspaceId in gatewayLogWorkspaceList: {
    name: 'apimbot-logs-${uniqueString(workspaceId, resourceToken)}'
    scope: resourceGroup(split(workspaceId, '/')[2], split(workspaceId, '/')[4])
    params: {
      workspaceName: last(split(workspaceId, '/'))
      principalId: identity.outputs.principalId
    }
  }
]

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-apimbot-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: tenant().tenantId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    watchedSubscriptionIds: watchedSubscriptionList
    logWorkspaceIds: [for i in range(0, length(gatewayLogWorkspaceList)): workspaceReaders[i].outputs.customerId]
    sweepSchedule: sweepSchedule
    reportSchedule: reportSchedule
    allowedTenants: allowedTenants
    actionUsers: actionUsers
    contractsRefreshMinutes: contractsRefreshMinutes
    reminderDays: reminderDays
    concurrency: concurrency
    routes: routes
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  scope: rg
  params: {
    name: 'bot-apimbot-${resourceToken}'
    displayName: botDisplayName
    tags: tags
    sku: botSku
    endpoint: 'https://${functionApp.outputs.defaultHostName}/api/messages'
    identityClientId: identity.outputs.clientId
    identityId: identity.outputs.id
    tenantId: tenant().tenantId
  }
}

module selfAlerts 'modules/self-alerts.bicep' = {
  name: 'self-alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    namePrefix: 'apimbot-${resourceToken}'
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmail: alertEmail
    heartbeatWindow: heartbeatWindow
  }
}

@description('Region, for azd.')
output AZURE_LOCATION string = location

@description('Tenant, for azd and the Teams app package.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group holding apimbot.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Function app that azd deploys the package to.')
output APIMBOT_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Messaging endpoint registered with the Azure Bot.')
output APIMBOT_BOT_ENDPOINT string = 'https://${functionApp.outputs.defaultHostName}/api/messages'

@description('Azure Bot resource name.')
output APIMBOT_BOT_NAME string = bot.outputs.name

@description('Bot app id (the identity\'s client id); the Teams app manifest needs it as botId.')
output APIMBOT_BOT_APP_ID string = identity.outputs.clientId

@description('Application Insights component holding apimbot\'s own telemetry.')
output APIMBOT_APP_INSIGHTS_NAME string = monitoring.outputs.appInsightsName

@description('Object id of apimbot\'s identity, for extra role assignments (management group, more workspaces).')
output APIMBOT_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
