// The function app: an Azure Functions container hosted on the Container Apps environment
// (Microsoft.Web/sites, kind functionapp,linux,container,azurecontainerapps). Every connection
// is identity-based through the user-assigned identity: no keys or secrets in app settings.

@description('Function app name.')
param name string

@description('Azure region; the caller passes the resource group location.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource id of the Container Apps environment.')
param environmentId string

@description('Workload profile inside the environment: Consumption, or the GPU profile name.')
param workloadProfileName string

@description('Serverless GPU workload profile type, or empty for CPU; picks resource defaults and the execution provider.')
@allowed([
  ''
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfile string = ''

@description('vCPU per replica as a decimal string, e.g. \'2.0\'; empty picks the profile default.')
param cpuCores string = ''

@description('Memory per replica, e.g. \'4Gi\'; empty picks the profile default.')
param memorySize string = ''

@description('Image to run, e.g. <registry>.azurecr.io/modelfunctions:gpu-1.')
param containerImage string

@description('Registry login server the image is pulled from.')
param registryLoginServer string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the storage account (host storage and model store).')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Replicas kept warm; 0 scales to zero when idle.')
@minValue(0)
@maxValue(20)
param minReplicas int = 0

@description('Upper bound on replicas.')
@minValue(1)
@maxValue(300)
param maxReplicas int = 10

@description('Six-field NCRONTAB schedule of the drift check.')
param driftSchedule string = '0 */5 * * * *'

@description('Six-field NCRONTAB schedule of the health probe.')
param healthSchedule string = '0 */1 * * * *'

// Replica sizes per profile: Consumption allows up to 4 vCPU / 8 GiB; the GPU profiles give a
// replica the whole card's share of the host.
var resourceDefaults = {
  cpu: {
    cpu: '2.0'
    memory: '4Gi'
  }
  'Consumption-GPU-NC8as-T4': {
    cpu: '8.0'
    memory: '56Gi'
  }
  'Consumption-GPU-NC24-A100': {
    cpu: '24.0'
    memory: '220Gi'
  }
}

var profileKey = empty(gpuProfile) ? 'cpu' : gpuProfile
var replicaCpu = empty(cpuCores) ? resourceDefaults[profileKey].cpu : cpuCores
var replicaMemory = empty(memorySize) ? resourceDefaults[profileKey].memory : memorySize
var executionProvider = empty(gpuProfile) ? 'Cpu' : 'Cuda'

// Identity-based connection: <prefix>__blobServiceUri (etc.), credential and client id.
var appSettings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'dotnet-isolated'
  }
  {
    name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE'
    value: 'false'
  }
  {
    name: 'DOCKER_REGISTRY_SERVER_URL'
    value: registryLoginServer
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: applicationInsightsConnectionString
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: queueEndpoint
  }
  {
    name: 'AzureWebJobsStorage__tableServiceUri'
    value: tableEndpoint
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  {
    name: 'ModelStorage__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'ModelStorage__queueServiceUri'
    value: queueEndpoint
  }
  {
    name: 'ModelStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'ModelStorage__clientId'
    value: identityClientId
  }
  {
    name: 'ModelFunctions__Store__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'ModelFunctions__Store__credential'
    value: 'managedidentity'
  }
  {
    name: 'ModelFunctions__Store__clientId'
    value: identityClientId
  }
  {
    name: 'ModelFunctions__OnnxRuntime__ExecutionProvider'
    value: executionProvider
  }
  {
    // RegisterModelVersion takes drops from Event Grid; its polling twin stays off (see infra/README.md).
    name: 'AzureWebJobs.RegisterModelVersion.Disabled'
    value: 'false'
  }
  {
    name: 'AzureWebJobs.RegisterModelVersionPolling.Disabled'
    value: 'true'
  }
  {
    name: 'DriftSchedule'
    value: driftSchedule
  }
  {
    name: 'HealthSchedule'
    value: healthSchedule
  }
]

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux,container,azurecontainerapps'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environmentId
    workloadProfileName: workloadProfileName
    resourceConfig: {
      cpu: json(replicaCpu)
      memory: replicaMemory
    }
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOCKER|${containerImage}'
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: identityId
      minimumElasticInstanceCount: minReplicas
      functionAppScaleLimit: maxReplicas
      appSettings: appSettings
    }
  }
}

@description('Resource id of the function app.')
output id string = functionApp.id

@description('Name of the function app.')
output name string = functionApp.name

@description('Host name the app answers on.')
output defaultHostName string = functionApp.properties.defaultHostName

@description('Execution provider configured for ONNX Runtime.')
output executionProvider string = executionProvider
