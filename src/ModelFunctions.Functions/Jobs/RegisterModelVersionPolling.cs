using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Jobs;

/// <summary>
/// The same registration as <see cref="RegisterModelVersion"/> on the polling source (container scans), for plans and
/// local runs without Event Grid. Off unless <c>AzureWebJobs.RegisterModelVersionPolling.Disabled</c> is false; turn
/// <c>AzureWebJobs.RegisterModelVersion.Disabled</c> on at the same time so that one source registers each drop.
/// </summary>
public sealed class RegisterModelVersionPolling(ModelRegistrar registrar)
{
    [Function(nameof(RegisterModelVersionPolling))]
    public Task Run(
        [BlobTrigger("models/{model}/{version}/model.onnx", Source = BlobTriggerSource.LogsAndContainerScan, Connection = "ModelStorage")] BlobClient blob,
        string model,
        string version,
        CancellationToken cancellationToken) =>
        registrar.RegisterDropAsync(model, version, cancellationToken);
}
