// Container Apps environment with workload profiles. The Consumption profile is always there;
// a serverless GPU profile is added when one is asked for (GPU profiles can only be declared
// when the environment is created, so changing gpuProfile later means a new environment).

@description('Environment name.')
param name string

@description('Azure region; the caller passes the resource group location. GPU profiles exist only in some regions.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the Log Analytics workspace that receives container logs (same resource group).')
param logAnalyticsName string

@description('Serverless GPU workload profile type; empty for CPU only.')
@allowed([
  ''
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfile string = ''

@description('Name given to the GPU workload profile inside the environment.')
param gpuProfileName string = 'gpu'

var consumptionProfile = {
  name: 'Consumption'
  workloadProfileType: 'Consumption'
}

var gpuProfiles = empty(gpuProfile) ? [] : [
  {
    name: gpuProfileName
    workloadProfileType: gpuProfile
  }
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: logAnalyticsName
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: concat([
      consumptionProfile
    ], gpuProfiles)
    zoneRedundant: false
  }
}

@description('Resource id of the environment.')
output id string = environment.id

@description('Name of the environment.')
output name string = environment.name

@description('Workload profile the function app should run on.')
output appWorkloadProfileName string = empty(gpuProfile) ? consumptionProfile.name : gpuProfileName
