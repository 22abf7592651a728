// The secrets: RBAC-only Key Vault, soft delete and purge protection on. The template creates no secret values (they
// never pass through a deployment); docs/deploy.md, "Secrets", sets them. App settings refer to them by URI.

param name string
param location string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
