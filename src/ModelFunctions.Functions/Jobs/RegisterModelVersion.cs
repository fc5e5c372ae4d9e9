using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Jobs;

/// <summary>
/// Registers a dropped <c>models/{model}/{version}/model.onnx</c> as soon as Event Grid reports it. The content is not
/// bound: the registrar reads the file from the model store itself.
/// </summary>
public sealed class RegisterModelVersion(ModelRegistrar registrar, ILogger<RegisterModelVersion> logger)
{
    [Function(nameof(RegisterModelVersion))]
    public async Task Run(
        [BlobTrigger("models/{model}/{version}/model.onnx", Source = BlobTriggerSource.EventGrid, Connection = "ModelStorage")] BlobClient blob,
        string model,
        string version,
        CancellationToken cancellationToken)
    {
        // The registrar refuses such a version too; it is only logged here, as a retry cannot fix it.
        if (ModelNames.TryParseVersion(version, out var number) is { } versionError)
        {
            logger.LogWarning("Ignored {Blob}: {Reason}", blob.Name, versionError);
            return;
        }

        var result = await registrar.RegisterAsync(model, number, cancellationToken);
        logger.LogInformation("Registration of {Model} v{Version}: {Outcome} {Reason}", model, number, result.Outcome, result.Reason);
    }
}
