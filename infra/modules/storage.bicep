// One storage account: shared keys off, HTTPS and TLS 1.2 only, no public blob access. Its tables, containers and
// queues are made here, so the app never needs the right to create them (docs/deploy.md, "Storage").

@description('Globally unique account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

param location string

@description('Standard_LRS, Standard_ZRS or Standard_GZRS: how many copies Azure keeps (docs/deploy.md, "Backups").')
param sku string = 'Standard_LRS'

param tables string[] = []
param containers string[] = []
param queues string[] = []

@description('''Blob versioning and soft delete (the data account, for the reports): a deleted or overwritten
blob can be brought back for blobRecoveryDays.''')
param protectBlobs bool = false

@minValue(1)
@maxValue(365)
param blobRecoveryDays int = 30

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: protectBlobs
    ? {
        isVersioningEnabled: true
        deleteRetentionPolicy: {
          enabled: true
          days: blobRecoveryDays
        }
        containerDeleteRetentionPolicy: {
          enabled: true
          days: blobRecoveryDays
        }
      }
    : {}
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

// Versions are kept for the recovery window only, so a report rewritten every night costs one copy, not hundreds.
resource versionCleanup 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = if (protectBlobs) {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: blobRecoveryDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource accountTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource accountQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
output queueEndpoint string = account.properties.primaryEndpoints.queue
