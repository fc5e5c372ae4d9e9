// ModelFunctions on Azure: ONNX model serving as an Azure Functions container on Azure
// Container Apps (optionally on a serverless GPU profile), with identity-only access to storage
// and the registry, Application Insights telemetry and alerts on the app's custom events.
//
// Deploy into an existing resource group (everything takes the group's location):
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
// The Event Grid subscription needs the app's blobs_extension key, which exists once the code runs:
// deploy once, push the image, then deploy again with subscribeBlobEvents=true (infra/README.md).

targetScope = 'resourceGroup'

@description('Short name of the environment (dev, test, prod...); part of every resource name, so letters, digits and hyphens only.')
@minLength(1)
@maxLength(12)
param environmentName string

@description('Serverless GPU workload profile for the app; empty runs on the CPU Consumption profile.')
@allowed([
  ''
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfile string = ''

@description('Image the function app runs. Until your own image is pushed, a public Functions sample keeps the first deployment valid.')
param containerImage string = 'mcr.microsoft.com/azure-functions/dotnet8-quickstart-demo:1.0'

@description('vCPU per replica as a decimal string (e.g. \'2.0\'); empty picks the default of the profile.')
param cpuCores string = ''

@description('Memory per replica (e.g. \'4Gi\'); empty picks the default of the profile.')
param memorySize string = ''

@description('Replicas kept running; 0 lets the app scale to zero when idle.')
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

@description('Name of the blob-triggered function that registers a new model version.')
param blobTriggerFunctionName string = 'RegisterModelVersion'

@description('Subscribe the blob trigger to Event Grid. Leave false until the app\'s own image runs (its blobs_extension key, read at deployment, exists only then).')
param subscribeBlobEvents bool = false

@description('Optional e-mail address for alerts.')
param alertEmailAddress string = ''

@description('Optional webhook for alerts (common alert schema).')
@secure()
param alertWebhookUrl string = ''

@description('Optional object id of the person or pipeline that uploads models; gets Storage Blob Data Contributor.')
param uploaderPrincipalId string = ''

@description('Kind of principal behind uploaderPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param uploaderPrincipalType string = 'User'

@description('Days Log Analytics and Application Insights keep data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var location = resourceGroup().location
var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
// Lower case keeps names valid for Container Apps (the app's backing container app takes its name).
var envName = toLower(environmentName)
var tags = {
  'azd-env-name': environmentName
  application: 'modelfunctions'
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${envName}-${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${envName}-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    name: '${abbrs.containerRegistryRegistries}${resourceToken}'
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${envName}-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    registryName: registry.outputs.name
    uploaderPrincipalId: uploaderPrincipalId
    uploaderPrincipalType: uploaderPrincipalType
  }
}

module environment 'modules/containerapps-env.bicep' = {
  name: 'containerapps-env'
  params: {
    name: '${abbrs.appContainerAppsManagedEnvironment}${envName}-${resourceToken}'
    location: location
    tags: tags
    logAnalyticsName: monitoring.outputs.logAnalyticsName
    gpuProfile: gpuProfile
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${abbrs.webSitesFunctions}${envName}-${resourceToken}'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    workloadProfileName: environment.outputs.appWorkloadProfileName
    gpuProfile: gpuProfile
    cpuCores: cpuCores
    memorySize: memorySize
    containerImage: containerImage
    registryLoginServer: registry.outputs.loginServer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    driftSchedule: driftSchedule
    healthSchedule: healthSchedule
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    systemTopicName: '${abbrs.eventGridSystemTopics}${envName}-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    functionAppName: functionApp.outputs.name
    blobTriggerFunctionName: blobTriggerFunctionName
    subscribe: subscribeBlobEvents
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    actionGroupName: '${abbrs.insightsActionGroups}${envName}-${resourceToken}'
    alertNamePrefix: '${abbrs.insightsScheduledQueryRules}${envName}-'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    alertEmailAddress: alertEmailAddress
    alertWebhookUrl: alertWebhookUrl
  }
}

@description('Base URL of the function app.')
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('Name of the function app (for az functionapp commands).')
output functionAppName string = functionApp.outputs.name

@description('Name of the storage account holding the models.')
output storageAccountName string = storage.outputs.name

@description('Login server of the container registry.')
output registryLoginServer string = registry.outputs.loginServer

@description('Client id of the app\'s user-assigned identity.')
output identityClientId string = identity.outputs.clientId

@description('Name of the Application Insights component.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName

@description('ONNX Runtime execution provider the app is configured with.')
output executionProvider string = functionApp.outputs.executionProvider

@description('True when the Event Grid subscription to the blob trigger exists.')
output eventGridSubscribed bool = eventGrid.outputs.subscribed
