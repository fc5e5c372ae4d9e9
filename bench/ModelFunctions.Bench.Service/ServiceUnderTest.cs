using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelFunctions.Core;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Bench.Service;

/// <summary>
/// The Core services as a host builds them, on a temporary folder store holding the model as version 1 (and its
/// reference.csv when given), with the monitoring capture on or off. Deletes the store when disposed.
/// </summary>
internal sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _root;

    private ServiceUnderTest(ServiceProvider provider, string root)
    {
        _provider = provider;
        _root = root;
    }

    public InferenceService Inference => _provider.GetRequiredService<InferenceService>();

    public static async Task<ServiceUnderTest> StartAsync(ServiceBenchOptions options, bool capture, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("mf-bench-service-").FullName;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ModelFunctions:Store"] = root,
                ["ModelFunctions:Serving:CacheFolder"] = Path.Combine(root, "cache"),
                ["ModelFunctions:Registration:StableFor"] = "00:00:00",
                ["ModelFunctions:Monitoring:Enabled"] = capture ? "true" : "false",
                ["ModelFunctions:Monitoring:InstanceId"] = "bench",
                // Every run on the measuring thread: with ONNX Runtime's intra-op threads, their wake-ups on a shared
                // machine move each round by more than the capture costs.
                ["ModelFunctions:OnnxRuntime:IntraOpThreads"] = "1",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddModelFunctions(configuration);
        var provider = services.BuildServiceProvider();
        var sut = new ServiceUnderTest(provider, root);
        try
        {
            var store = provider.GetRequiredService<IBlobStore>();
            await ModelStoreLayout.EnsureContainersAsync(store, cancellationToken).ConfigureAwait(false);

            if (options.ReferencePath is { } reference)
            {
                await PutAsync(store, ModelStoreLayout.ReferenceBlob(options.Name, 1), reference, cancellationToken).ConfigureAwait(false);
            }

            await PutAsync(store, ModelStoreLayout.ModelBlob(options.Name, 1), options.ModelPath, cancellationToken).ConfigureAwait(false);
            var result = await provider.GetRequiredService<ModelRegistrar>().RegisterAsync(options.Name, 1, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != RegistrationOutcome.Registered)
            {
                throw new InvalidOperationException($"The model was not registered: {result.Outcome} {result.Reason}");
            }

            return sut;
        }
        catch
        {
            await sut.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task PutAsync(IBlobStore store, string blob, string path, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(path);
        await store.PutAsync(ModelStoreLayout.ModelsContainer, blob, content, BlobCondition.None, null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
