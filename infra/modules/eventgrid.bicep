// Event Grid system topic on the storage account, and (once the app's code is deployed and its
// blobs_extension system key exists) a subscription that sends BlobCreated events for
// models/<name>/<version>/model.onnx to the blob trigger's webhook.

@description('System topic name.')
param systemTopicName string

@description('Azure region of the storage account (a system topic lives with its source).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the storage account that raises the events (same resource group).')
param storageAccountName string

@description('Host name of the function app, e.g. from its defaultHostName.')
param functionAppHostName string

@description('Name of the blob-triggered function, as in [Function("...")].')
param blobTriggerFunctionName string

@description('The function app\'s blobs_extension system key; empty skips the subscription (first deployment).')
@secure()
param blobExtensionKey string = ''

@description('Container the models are dropped into.')
param modelsContainerName string = 'models'

@description('File name that marks a complete model version.')
param modelFileName string = 'model.onnx'

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
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

// Host.Functions.<name> is how the blobs extension addresses a function behind its webhook.
var webhookUrl = 'https://${functionAppHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${blobTriggerFunctionName}&code=${blobExtensionKey}'

resource modelCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (!empty(blobExtensionKey)) {
  parent: systemTopic
  name: 'model-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: webhookUrl
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
output subscribed bool = !empty(blobExtensionKey)
