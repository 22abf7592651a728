// PvpServerless on Azure, into one resource group with one command (docs/deploy.md):
//   az deployment group create -g RG -f infra/main.bicep -p infra/main.parameters.json
// Every app setting the code reads is set below (appSettings); tests/PvpServerless.Tests/Azure/SettingsTests.cs
// holds it against the code and local.settings.sample.json.

@description('Azure region; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short name that starts every resource name (lower-case letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'pvp'

@description('Keep the Contacts table (e-mail addresses) in a storage account of its own, apart from clinical data.')
param contactsInSeparateAccount bool = true

@description('Redundancy of the data account: Standard_ZRS keeps three copies in three zones (docs/deploy.md).')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param dataStorageSku string = 'Standard_ZRS'

@description('Application (client) id of the Entra ID app registration coordinators sign in with (docs/deploy.md).')
@minLength(36)
@maxLength(36)
param entraClientId string

@description('Who gets the alerts (a background function failed, a message was poisoned).')
param alertEmail string

// Scale: docs/deploy.md, "Scale", says why.
@allowed([2048, 4096])
param instanceMemoryMB int = 2048
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 10
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 1

@description('Ingestion cap of the Log Analytics workspace per day, in GB.')
param logDailyCapGb int = 1

@description('The clinic as patients meet it (the e-mail module shows name, phone and contact address).')
type clinicDetails = {
  @description('IANA time zone: what "yesterday" means for the nightly report\'s cut-off.')
  timeZone: string
  name: string
  phone: string
  contactEmail: string
  @description('Base of the survey links, with the /api prefix; empty = https://{app}.azurewebsites.net/api.')
  publicBaseUrl: string
}

param clinic clinicDetails = {
  timeZone: 'Europe/Copenhagen'
  name: ''
  phone: ''
  contactEmail: ''
  publicBaseUrl: ''
}

@description('How e-mails go: SendGrid, or Outbox (each e-mail a blob in the outbox container, nothing sent).')
type emailSettings = {
  transport: 'SendGrid' | 'Outbox'
  @description('Sender address on a domain authenticated in SendGrid (required with SendGrid).')
  fromAddress: string
  @description('Sender name; empty = the clinic\'s name.')
  fromName: string
  @description('SendGrid API address; empty = https://api.sendgrid.com (or https://api.eu.sendgrid.com).')
  sendGridHost: string
}

param email emailSettings = {
  transport: 'SendGrid'
  fromAddress: ''
  fromName: ''
  sendGridHost: ''
}

@description('When patients are asked and reminded (docs/follow-up.md).')
type followUpSettings = {
  baselineClosesDaysAfterProcedure: int
  opensDaysBefore: int
  closesDaysAfter: int
  @description('Days after the invitation on which reminders go, e.g. 7,14; empty: none.')
  reminders: string
  claimTimeout: string
}

param followUp followUpSettings = {
  baselineClosesDaysAfterProcedure: 14
  opensDaysBefore: 7
  closesDaysAfter: 28
  reminders: '7,14'
  claimTimeout: '00:15:00'
}

@description('Six-field NCRONTAB of the follow-up scheduler, in UTC.')
param followUpSchedule string = '0 */15 * * * *'

// The study's settings; their meaning is in local.settings.sample.json.

@description('''Six-field NCRONTAB of the nightly report, in UTC: Flex Consumption has no WEBSITE_TIME_ZONE.
01:00 UTC is 02:00 or 03:00 in Copenhagen; pick an hour after midnight in the clinic's zone.''')
param nightlyReportSchedule string = '0 0 1 * * *'

@allowed(['3L', '5L'])
param eq5dVersion string = '3L'
@allowed(['DK', 'UK', 'ENG'])
param eq5dValueSet string = 'DK'
@description('Path of a licensed wording file inside the deployed package; empty = the plain-language wording.')
param questionnaireWordingFile string = ''

param enrolmentMaxDaysAhead int = 90
param enrolmentEarliestProcedureDate string = '2010-01-01'
param enrolmentMinimumAge int = 18
param enrolmentMaximumAge int = 110
param enrolmentPendingTimeout string = '00:05:00'

param reportRetentionDays int = 400
@description('A fixed data cut-off (yyyy-MM-dd) for a closed study; empty = yesterday.')
param reportCutoffDate string = ''
param reportEq5dMcid string = '0.12'
param reportOdiMcid string = '10'
@description('How long a report download link stays valid (00:01:00 to 00:15:00).')
param reportLinkLifetime string = '00:10:00'

var suffix = take(uniqueString(resourceGroup().id, name), 8)
var appName = '${name}-${suffix}'
// Links are {this}/survey/{token}: the functions answer under the /api route prefix (host.json).
var publicBaseUrl = empty(clinic.publicBaseUrl) ? 'https://${appName}.azurewebsites.net/api' : clinic.publicBaseUrl
var storageSuffix = environment().suffixes.storage
var runtimeAccountName = '${name}func${suffix}'
var dataAccountName = '${name}data${suffix}'
var contactsAccountName = contactsInSeparateAccount ? '${name}cont${suffix}' : ''
var deploymentContainer = 'app-package'
var reportsContainer = 'reports'
var outboxContainer = 'outbox'
var invitationsQueue = 'invitations'

// Queues of queue-triggered functions (each with its poison queue); a test checks every [QueueTrigger] is here.
var workQueues = [
  invitationsQueue
]

// Timer and queue functions whose failure raises an alert; a test checks every timer function is here.
var watchedFunctions = [
  'NightlyReport'
  'ScheduleFollowUps'
  'SendInvitation'
  'SweepStatusIndex'
]

// The only paths that skip Entra ID sign-in (a trailing /* covers everything below). Everything else, the dashboard
// and the coordinator API above all, asks for it. TemplateTests holds every route of the app against this list.
var anonymousPaths = [
  '/api/survey/*' // the patients' questionnaire and opt-out pages: the link in their e-mail is their key
  '/api/sendgrid/events' // SendGrid's Event Webhook: its signature is checked by the code
  '/api/reports' // the researcher API keeps its function keys
  '/api/reports/*'
  '/api/exports/*'
  '/admin/*' // the host's admin API (master key)
]

// A Key Vault reference: the platform reads the secret with the app's identity and hands the app its value.
func secretSetting(vaultUri string, secret string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secret}/)'

// Secret names; docs/deploy.md, "Secrets", sets their values.
var keyVaultSecret = {
  entraClientSecret: 'entra-client-secret'
  sendGridApiKey: 'sendgrid-api-key'
  sendGridWebhookPublicKey: 'sendgrid-webhook-public-key'
  followUpTokenKey: 'followup-token-key'
}

module runtimeStorage 'modules/storage.bicep' = {
  name: 'runtime-storage'
  params: {
    name: runtimeAccountName
    location: location
    containers: [deploymentContainer]
  }
}

module dataStorage 'modules/storage.bicep' = {
  name: 'data-storage'
  params: {
    name: dataAccountName
    location: location
    sku: dataStorageSku
    tables: contactsInSeparateAccount
      ? ['Patients', 'Schedule', 'Tokens', 'FollowUpStatus', 'FollowUpCounts']
      : ['Patients', 'Schedule', 'Tokens', 'FollowUpStatus', 'FollowUpCounts', 'Contacts']
    containers: [reportsContainer, outboxContainer]
    queues: flatten(map(workQueues, queue => [queue, '${queue}-poison']))
    protectBlobs: true
  }
}

module contactsStorage 'modules/storage.bicep' = if (contactsInSeparateAccount) {
  name: 'contacts-storage'
  params: {
    name: '${name}cont${suffix}'
    location: location
    sku: dataStorageSku
    tables: ['Contacts']
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: name
    location: location
    dailyCapGb: logDailyCapGb
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  params: {
    name: '${name}-kv-${suffix}'
    location: location
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'function-app'
  dependsOn: [runtimeStorage]
  params: {
    name: appName
    location: location
    deploymentBlobEndpoint: 'https://${runtimeAccountName}.blob.${storageSuffix}/'
    deploymentContainer: deploymentContainer
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    entraClientId: entraClientId
    anonymousPaths: anonymousPaths
    appSettings: {
      // The Functions host's own storage, by identity: blobs (locks, keys, timer state) in the runtime account;
      // queues in the data account, so that queue triggers read the queues PvpStorage.Queues writes.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__blobServiceUri: 'https://${runtimeAccountName}.blob.${storageSuffix}/'
      AzureWebJobsStorage__queueServiceUri: 'https://${dataAccountName}.queue.${storageSuffix}/'
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential'
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
      MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: secretSetting(keyVault.outputs.uri, keyVaultSecret.entraClientSecret)

      // shared/Storage: the data, by the app's managed identity.
      Storage__TableServiceUri: 'https://${dataAccountName}.table.${storageSuffix}/'
      Storage__BlobServiceUri: 'https://${dataAccountName}.blob.${storageSuffix}/'
      Storage__QueueServiceUri: 'https://${dataAccountName}.queue.${storageSuffix}/'
      Storage__ContactsTableServiceUri: contactsInSeparateAccount
        ? 'https://${contactsAccountName}.table.${storageSuffix}/'
        : ''
      // The SDK's retries of one storage call, bounded so that a request meets an outage with a prompt 503
      // (StorageRetryOptions; docs/evidence.md, "Faults").
      Storage__Retry__MaxRetries: '2'
      Storage__Retry__Delay: '00:00:00.2'
      Storage__Retry__MaxDelay: '00:00:01'
      Storage__Retry__NetworkTimeout: '00:00:10'

      Enrolment__MaxDaysAhead: string(enrolmentMaxDaysAhead)
      Enrolment__EarliestProcedureDate: enrolmentEarliestProcedureDate
      Enrolment__MinimumAge: string(enrolmentMinimumAge)
      Enrolment__MaximumAge: string(enrolmentMaximumAge)
      Enrolment__PendingTimeout: enrolmentPendingTimeout

      // shared/FollowUp: windows, reminders, the scheduler and its queue (docs/follow-up.md).
      ScheduleFollowUpsSchedule: followUpSchedule
      InvitationsQueue: invitationsQueue
      FollowUp__BaselineClosesDaysAfterProcedure: string(followUp.baselineClosesDaysAfterProcedure)
      FollowUp__OpensDaysBefore: string(followUp.opensDaysBefore)
      FollowUp__ClosesDaysAfter: string(followUp.closesDaysAfter)
      FollowUp__Reminders: followUp.reminders
      FollowUp__ClaimTimeout: followUp.claimTimeout
      FollowUp__TokenKey: secretSetting(keyVault.outputs.uri, keyVaultSecret.followUpTokenKey)

      // The clinic and shared/Email (docs/email.md).
      Clinic__TimeZone: clinic.timeZone
      Clinic__PublicBaseUrl: publicBaseUrl
      Clinic__Name: clinic.name
      Clinic__Phone: clinic.phone
      Clinic__ContactEmail: clinic.contactEmail
      Email__Transport: email.transport
      Email__SendGridApiKey: secretSetting(keyVault.outputs.uri, keyVaultSecret.sendGridApiKey)
      Email__SendGridHost: email.sendGridHost
      Email__FromAddress: email.fromAddress
      Email__FromName: email.fromName
      Email__SendTimeout: '00:00:30'
      Email__DefaultRetryAfter: '00:00:05'
      Email__MaxAttempts: '3'
      Email__MaxTotalWait: '00:01:00'
      Email__WebhookPublicKey: secretSetting(keyVault.outputs.uri, keyVaultSecret.sendGridWebhookPublicKey)
      Email__WebhookMaxAge: '00:05:00'

      Questionnaires__Eq5dVersion: eq5dVersion
      Questionnaires__Eq5dValueSet: eq5dValueSet
      Questionnaires__WordingFile: questionnaireWordingFile

      NightlyReportSchedule: nightlyReportSchedule
      Reports__RetentionDays: string(reportRetentionDays)
      Reports__CutoffDate: reportCutoffDate
      Reports__Eq5dMcid: reportEq5dMcid
      Reports__OdiMcid: reportOdiMcid
      Reports__LinkLifetime: reportLinkLifetime
    }
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  dependsOn: [dataStorage, contactsStorage]
  params: {
    principalId: functionApp.outputs.principalId
    runtimeAccountName: runtimeStorage.outputs.name
    dataAccountName: dataAccountName
    contactsAccountName: contactsAccountName
    reportsContainer: reportsContainer
    outboxContainer: outboxContainer
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    name: name
    location: location
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmail: alertEmail
    watchedFunctions: watchedFunctions
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = functionApp.outputs.url
output publicBaseUrl string = publicBaseUrl
output runtimeStorageAccountName string = runtimeAccountName
output dataStorageAccountName string = dataAccountName
output contactsStorageAccountName string = contactsInSeparateAccount ? contactsAccountName : dataAccountName
output keyVaultName string = keyVault.outputs.name
output keyVaultSecretNames object = keyVaultSecret
