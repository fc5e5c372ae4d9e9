using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Jobs;

/// <summary>
/// Registers a dropped <c>models/{model}/{version}/model.onnx</c> as soon as Event Grid reports it. The content is not
/// bound: the registrar reads the file from the model store itself.
/// </summary>
public sealed class RegisterModelVersion(ModelRegistrar registrar)
{
    [Function(nameof(RegisterModelVersion))]
    public Task Run(
        [BlobTrigger("models/{model}/{version}/model.onnx", Source = BlobTriggerSource.EventGrid, Connection = "ModelStorage")] BlobClient blob,
        string model,
        string version,
        CancellationToken cancellationToken) =>
        registrar.RegisterDropAsync(model, version, cancellationToken);
}
