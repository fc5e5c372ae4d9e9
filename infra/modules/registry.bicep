// Container registry for the function image. The admin user stays off: the app pulls with
// its user-assigned identity (AcrPull), people push after `az acr login`.

@description('Registry name: 5-50 letters and digits, globally unique.')
@minLength(5)
@maxLength(50)
param name string

@description('Azure region; the caller passes the resource group location.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Registry tier.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string = 'Basic'

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

@description('Resource id of the registry.')
output id string = registry.id

@description('Name of the registry.')
output name string = registry.name

@description('Login server, e.g. <name>.azurecr.io.')
output loginServer string = registry.properties.loginServer
