// Event Grid system topic on the storage account, and (once the app's code is deployed and its
// blobs_extension system key exists) a subscription that sends BlobCreated events for
// models/<name>/<version>/model.onnx to the blob trigger's webhook. The key is read here with listKeys at
// deployment time, never passed in: it stays out of parameters, outputs and deployment history.

@description('System topic name.')
param systemTopicName string

@description('Azure region of the storage account (a system topic lives with its source).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the storage account that raises the events (same resource group).')
param storageAccountName string

@description('Name of the function app (same resource group) whose blob trigger receives the events.')
param functionAppName string

@description('Name of the blob-triggered function, as in [Function("...")].')
param blobTriggerFunctionName string

@description('Whether to subscribe the blob trigger: false on the first deployment, true once the app\'s code runs (its blobs_extension key exists only then).')
param subscribe bool = false

@description('Container the models are dropped into.')
param modelsContainerName string = 'models'

@description('File name that marks a complete model version.')
param modelFileName string = 'model.onnx'

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource modelCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscribe) {
  parent: systemTopic
  name: 'model-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // Host.Functions.<name> is how the blobs extension addresses a function behind its webhook.
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${blobTriggerFunctionName}&code=${listKeys('${functionApp.id}/host/default', '2024-11-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${modelsContainerName}/'
      subjectEndsWith: modelFileName
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

@description('Name of the system topic.')
output systemTopicName string = systemTopic.name

@description('True when the webhook subscription was deployed.')
output subscribed bool = subscribe
