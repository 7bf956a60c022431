// The Functions app on the Flex Consumption plan. Every setting the code reads in Azure is written here, in
// one appSettings list, so that test/infra/settings-drift.test.ts can compare it with SETTING_NAMES.

@description('Function app name (also the host name: <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Region of the plan and the app.')
param location string

@description('Tags for every resource; the app also gets azd-service-name.')
param tags object = {}

@description('Service name in azure.yaml that azd deploys to this app.')
param azdServiceName string = 'apimbot'

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Tenant of the bot and the identity.')
param tenantId string

@description('Storage account the host and the app use, by identity.')
param storageAccountName string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Node.js major version of the Functions worker.')
param nodeVersion string = '22'

@description('Upper bound on instances; bounds the ARM read rate a fan-out can reach.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Subscription ids to sweep; empty means every subscription the identity can read.')
param watchedSubscriptionIds array = []

@description('Log Analytics workspace ids (GUIDs) holding gateway logs; empty means found from diagnostic settings.')
param logWorkspaceIds array = []

@description('NCRONTAB schedule of the sweep.')
param sweepSchedule string

@description('NCRONTAB schedule of the hygiene report.')
param reportSchedule string

@description('Tenants allowed to talk to the bot, comma-separated; empty means only the bot\'s own tenant.')
param allowedTenants string = ''

@description('Users allowed to ack, snooze and silence, comma-separated; empty means anyone in the conversation.')
param actionUsers string = ''

@description('Minutes between re-reads of subscription contracts, diagnostic settings and workspaces.')
param contractsRefreshMinutes int = 60

@description('Reminder ladder for expiring subscriptions, in days, comma-separated.')
param reminderDays string = '30,14,7,1'

@description('Concurrency limit for per-instance reads.')
param concurrency int = 8

@description('Routing rules as JSON; empty means everything goes everywhere.')
param routes string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Functions host storage, by identity (no connection string, no key).
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // @azure/identity picks the user-assigned identity by this client id.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        // Telemetry, ingested with the identity because local auth is off.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // The Agents SDK's own names: the bot authenticates as the same user-assigned identity.
        {
          name: 'clientId'
          value: identityClientId
        }
        {
          name: 'tenantId'
          value: tenantId
        }
        {
          name: 'authType'
          value: 'UserManagedIdentity'
        }
        // apimbot's settings (CONTRACT.md).
        {
          name: 'APIMBOT_SUBSCRIPTION_IDS'
          value: join(watchedSubscriptionIds, ',')
        }
        {
          name: 'APIMBOT_LOG_WORKSPACE_IDS'
          value: join(logWorkspaceIds, ',')
        }
        {
          name: 'APIMBOT_SWEEP_SCHEDULE'
          value: sweepSchedule
        }
        {
          name: 'APIMBOT_REPORT_SCHEDULE'
          value: reportSchedule
        }
        {
          name: 'APIMBOT_ALLOWED_TENANTS'
          value: allowedTenants
        }
        {
          name: 'APIMBOT_ACTION_USERS'
          value: actionUsers
        }
        {
          name: 'APIMBOT_CONTRACTS_REFRESH_MINUTES'
          value: string(contractsRefreshMinutes)
        }
        {
          name: 'APIMBOT_REMINDER_DAYS'
          value: reminderDays
        }
        {
          name: 'APIMBOT_CONCURRENCY'
          value: string(concurrency)
        }
        {
          name: 'APIMBOT_ROUTES'
          value: routes
        }
      ]
    }
  }
}

@description('Function app name.')
output name string = app.name

@description('Default host name of the app, for the bot\'s messaging endpoint.')
output defaultHostName string = app.properties.defaultHostName

@description('Resource id of the app.')
output id string = app.id
