using ModelFunctions.Core.Http;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace ModelFunctions.Server;

/// <summary>
/// At start: seeds an empty store with the sample model and its reference data, registers every dropped model,
/// then marks the server ready.
/// </summary>
internal sealed class StartupScan(
    IBlobStore store,
    ModelRegistrar registrar,
    ServerReadiness readiness,
    IOptions<SampleModelOptions> sample,
    ILogger<StartupScan> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ModelStoreLayout.EnsureContainersAsync(store, cancellationToken);

        if (sample.Value.Seed && await IsEmptyAsync(cancellationToken))
        {
            await SeedAsync(sample.Value.Name, cancellationToken);
            // Registered at once: a scan would wait for the fresh file to be stable.
            var seeded = await registrar.RegisterAsync(sample.Value.Name, 1, cancellationToken);
            logger.LogInformation("Sample model {Model} v1: {Outcome} {Reason}", sample.Value.Name, seeded.Outcome, seeded.Reason);
        }

        var result = await registrar.ScanAsync(cancellationToken);
        logger.LogInformation(
            "Start-up scan of {Store}: {Registered} registration(s), {Pending} pending, {Problems} problem(s)",
            store.Description,
            result.Registrations.Count,
            result.Pending.Count,
            result.Problems.Count);
        readiness.MarkReady();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in store.ListAsync(ModelStoreLayout.ModelsContainer, null, cancellationToken))
        {
            return false;
        }

        return true;
    }

    private async Task SeedAsync(string name, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Sample");
        foreach (var file in new[] { "reference.csv", "model.onnx" })
        {
            await using var content = File.OpenRead(Path.Combine(folder, file));
            await store.PutAsync(ModelStoreLayout.ModelsContainer, $"{name}/1/{file}", content, BlobCondition.IfAbsent, null, cancellationToken);
        }

        logger.LogInformation("Seeded the sample model as '{Model}' version 1 in {Store}", name, store.Description);
    }
}
