// Every role the app's managed identity holds, each for a client the code builds or a platform feature it uses.
// tests/PvpServerless.Tests/Azure/RoleTests.cs holds this list against shared/Storage/PvpStorage.cs.

param principalId string
param runtimeAccountName string
param dataAccountName string

@description('The separate Contacts account; empty when the Contacts table lives in the data account.')
param contactsAccountName string

param reportsContainer string
param outboxContainer string
param keyVaultName string
param appInsightsName string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource runtimeAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: runtimeAccountName
}

resource dataAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: dataAccountName
}

resource dataBlobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = {
  parent: dataAccount
  name: 'default'
}

resource reports 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = {
  parent: dataBlobs
  name: reportsContainer
}

// Named even when unused (the data account), so that no expression of the skipped assignment meets an empty name.
resource outbox 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = {
  parent: dataBlobs
  name: outboxContainer
}

resource contactsAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: empty(contactsAccountName) ? dataAccountName : contactsAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// The Functions host: AzureWebJobsStorage blobs (locks, keys, timer state) and the deployment package.
resource hostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runtimeAccount
  name: guid(runtimeAccount.id, principalId, roles.storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// PvpStorage.Patients, .Schedule, .Tokens, .FollowUpStatus, .FollowUpCounts (and .Contacts when it shares the
// account).
resource dataTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dataAccount
  name: guid(dataAccount.id, principalId, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageTableDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// PvpStorage.Reports: the reports container only, not the account.
resource reportBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: reports
  name: guid(reports.id, principalId, roles.storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// PvpStorage.Outbox: e-mails as blobs when Email:Transport is Outbox (a staging deployment), that container only.
resource outboxBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: outbox
  name: guid(outbox.id, principalId, roles.storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// PvpStorage.Blobs: the user delegation key that signs report links (ReportStore.LinkAsync). The key is an
// account-level action; a link signed with it can never grant more than the container role above.
resource linkSigning 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dataAccount
  name: guid(dataAccount.id, principalId, roles.storageBlobDelegator)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDelegator)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// PvpStorage.Queues and the queue triggers (AzureWebJobsStorage__queueServiceUri points at the data account).
resource dataQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dataAccount
  name: guid(dataAccount.id, principalId, roles.storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// PvpStorage.Contacts in an account of its own.
resource contactTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(contactsAccountName)) {
  scope: contactsAccount
  name: guid(contactsAccount.id, principalId, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageTableDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault references in the app settings (secrets are read by the platform, never listed).
resource secrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Telemetry with Entra ID (Application Insights accepts no key-only ingestion): host and worker exporter.
resource telemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
