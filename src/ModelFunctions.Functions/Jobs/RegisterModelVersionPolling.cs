using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Jobs;

/// <summary>
/// The same registration as <see cref="RegisterModelVersion"/> on the polling source (container scans), for plans and
/// local runs without Event Grid. Off unless <c>AzureWebJobs.RegisterModelVersionPolling.Disabled</c> is false; turn
/// <c>AzureWebJobs.RegisterModelVersion.Disabled</c> on at the same time so that one source registers each drop.
/// </summary>
public sealed class RegisterModelVersionPolling(ModelRegistrar registrar, ILogger<RegisterModelVersionPolling> logger)
{
    [Function(nameof(RegisterModelVersionPolling))]
    public async Task Run(
        [BlobTrigger("models/{model}/{version}/model.onnx", Source = BlobTriggerSource.LogsAndContainerScan, Connection = "ModelStorage")] BlobClient blob,
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
