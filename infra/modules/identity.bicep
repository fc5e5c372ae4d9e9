// The user-assigned identity the function app runs as, and what it may touch:
// blobs (owner: the host keeps leases and keys there, the app writes its registry and
// monitoring data), queues and tables (the host and the blob trigger use them), and image pulls.

@description('Identity name.')
param name string

@description('Azure region; the caller passes the resource group location.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the storage account the identity works on (same resource group).')
param storageAccountName string

@description('Name of the container registry the identity pulls from (same resource group).')
param registryName string

@description('Optional object id of a person or pipeline that uploads models with --auth-mode login; empty skips it.')
param uploaderPrincipalId string = ''

@description('Kind of principal behind uploaderPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param uploaderPrincipalType string = 'User'

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
}

var storageRoleIds = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in storageRoleIds: {
  name: guid(storageAccount.id, identity.id, roleId)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource uploader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(uploaderPrincipalId)) {
  name: guid(storageAccount.id, uploaderPrincipalId, roles.storageBlobDataContributor)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: uploaderPrincipalId
    principalType: uploaderPrincipalType
  }
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client id of the identity (what __clientId settings name).')
output clientId string = identity.properties.clientId

@description('Object id of the identity.')
output principalId string = identity.properties.principalId
