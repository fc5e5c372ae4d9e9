using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Serving;

/// <summary>The warmup the Functions app runs at start and from its warmup trigger, on a real folder store and ONNX Runtime.</summary>
public sealed class ProductionWarmupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-warmup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Warm_LoadsEveryProductionVersion_SkipsABrokenOne_AndMarksReady()
    {
        using var host = Build();
        var services = host.Services;
        var cache = services.GetRequiredService<ModelCache>();
        var readiness = services.GetRequiredService<ServerReadiness>();
        await RegisterAsync(services, "iris", 1, TestModels.Bytes("iris.onnx"));
        await RegisterAsync(services, "mlp", 1, TestModels.Bytes("mlp.onnx"));
        await RegisterAsync(services, "broken", 1, TestModels.Bytes("iris.onnx"));
        // Registered and promoted, then replaced by garbage: its load fails.
        await PutAsync(services, "broken", 1, "not a model"u8.ToArray());
        Assert.False(readiness.IsReady);

        var warmed = await services.GetRequiredService<ProductionWarmup>().WarmAsync(CancellationToken.None);

        Assert.Equal(["iris", "mlp"], warmed.Order(StringComparer.Ordinal));
        Assert.True(cache.IsLoaded("iris", 1));
        Assert.True(cache.IsLoaded("mlp", 1));
        Assert.False(cache.IsLoaded("broken", 1));
        Assert.True(readiness.IsReady);
    }

    [Fact]
    public async Task HostedService_WarmsAtStart_WithoutDelayingIt()
    {
        using var host = Build();
        await RegisterAsync(host.Services, "iris", 1, TestModels.Bytes("iris.onnx"));
        var readiness = host.Services.GetRequiredService<ServerReadiness>();

        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!readiness.IsReady && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(readiness.IsReady);
        Assert.True(host.Services.GetRequiredService<ModelCache>().IsLoaded("iris", 1));
        await host.StopAsync();
    }

    private IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [BlobStoreFactory.ConfigurationKey] = Path.Combine(_root, "store"),
            ["ModelFunctions:Registration:StableFor"] = "00:00:00",
            ["ModelFunctions:Registration:WorkFolder"] = Path.Combine(_root, "work"),
            ["ModelFunctions:Serving:CacheFolder"] = Path.Combine(_root, "cache"),
        });
        builder.Services.AddModelFunctions(builder.Configuration).AddProductionWarmup();
        return builder.Build();
    }

    private static async Task RegisterAsync(IServiceProvider services, string model, int version, byte[] content)
    {
        await PutAsync(services, model, version, content);
        var result = await services.GetRequiredService<ModelRegistrar>().RegisterAsync(model, version, CancellationToken.None);
        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
    }

    private static async Task PutAsync(IServiceProvider services, string model, int version, byte[] content)
    {
        var store = services.GetRequiredService<IBlobStore>();
        await store.EnsureContainerAsync(ModelStoreLayout.ModelsContainer, CancellationToken.None);
        using var stream = new MemoryStream(content);
        await store.PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob(model, version), stream, BlobCondition.None, null, CancellationToken.None);
    }
}
