using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>
/// The capture as the request path calls it (InferenceService with the real MLP, 256 inputs per row): what it
/// records with capture on, sampled, and off. Its cost is measured in bench/ (config capture-off), not here.
/// </summary>
public sealed class CaptureThroughInferenceServiceTests : IDisposable
{
    private const int Requests = 300;
    private const int LearnedBaselineSize = 20;

    private readonly string _root = Directory.CreateTempSubdirectory("mf-capture-service-").FullName;

    [Theory]
    [InlineData(true, 1.0)]
    [InlineData(true, 0.25)]
    [InlineData(false, 1.0)]
    public async Task WideRequests_AreCountedAndTheirFeaturesSampled(bool enabled, double samplingRate)
    {
        await using var provider = await StartAsync(enabled, samplingRate);
        var service = provider.GetRequiredService<InferenceService>();
        var capture = provider.GetRequiredService<MonitoringCapture>();
        var random = new Random(3);

        // The first request starts loading the (absent) baselines; let that finish so every later one is captured.
        await service.InferAsync("mlp", null, Request(random), CancellationToken.None);
        await Task.Delay(300);
        for (var i = 1; i < Requests; i++)
        {
            await service.InferAsync("mlp", null, Request(random), CancellationToken.None);
        }

        var written = await capture.FlushAsync(includeOpen: true, CancellationToken.None);
        if (!enabled)
        {
            Assert.Equal(0, written);
            return;
        }

        var window = await ReadWindowAsync(provider.GetRequiredService<IBlobStore>());
        Assert.Equal(Requests, window.Requests.Total);
        // MaxFeatures (256) is taken by the inputs: the outputs are not captured.
        Assert.Equal(256, window.Features.Count);
        Assert.All(window.Features, f => Assert.False(f.IsOutput));
        var first = window.Features[0].Numeric!;
        Assert.Equal("x[0]", window.Features[0].Name);
        // Each feature learns its baseline from the first sampled rows, then counts every sampled row after them.
        var sampledRows = first.ValidCount + LearnedBaselineSize;
        if (samplingRate == 1.0)
        {
            Assert.InRange(sampledRows, Requests - 1, Requests);
        }
        else
        {
            // Binomial(299, 0.25): mean 75, sd 7.5; allow 5 sd.
            Assert.InRange(sampledRows, 37, 113);
        }

        Assert.All(window.Features, f => Assert.Equal(first.ValidCount, f.Numeric!.ValidCount));

        // 266 features (256 inputs, 10 outputs; 256 captured) share ReservoirValuesPerVersion: 65,536 / 256 = 256 each.
        Assert.Equal(256, first.Reservoir.Capacity);
        Assert.Equal(Math.Min(first.ValidCount, 256), first.Reservoir.Count);
    }

    private static InferenceRequest Request(Random random) =>
        new(null, null, [NamedTensor.FromArray("x", TensorDataType.Float32, [1, 256], Enumerable.Range(0, 256).Select(_ => (float)random.NextDouble() * 5).ToArray())], null);

    private static async Task<VersionWindow> ReadWindowAsync(IBlobStore store)
    {
        // One window unless the test ran across an hour boundary: merge whatever was written.
        VersionWindow? merged = null;
        await foreach (var item in store.ListAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.WindowsPrefix("mlp", 1), CancellationToken.None))
        {
            await using var download = await store.OpenReadAsync(ModelStoreLayout.MonitoringContainer, item.Name, CancellationToken.None);
            using var buffer = new MemoryStream();
            await download!.Content.CopyToAsync(buffer);
            var window = VersionWindow.FromJson(buffer.ToArray());
            if (merged is null)
            {
                merged = window;
            }
            else
            {
                merged.Merge(window);
            }
        }

        return merged ?? throw new InvalidOperationException("No window was written.");
    }

    private async Task<ServiceProvider> StartAsync(bool enabled, double samplingRate)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ModelFunctions:Store"] = _root,
                ["ModelFunctions:Registration:StableFor"] = "00:00:00",
                ["ModelFunctions:Monitoring:InstanceId"] = "service",
                ["ModelFunctions:Monitoring:Enabled"] = enabled ? "true" : "false",
                ["ModelFunctions:Monitoring:SamplingRate"] = samplingRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ModelFunctions:Monitoring:LearnedBaselineSize"] = LearnedBaselineSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ModelFunctions:Monitoring:WindowLength"] = "01:00:00",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddModelFunctions(configuration);
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IBlobStore>();
        await ModelStoreLayout.EnsureContainersAsync(store, CancellationToken.None);

        using (var content = new MemoryStream(TestModels.Bytes("mlp.onnx")))
        {
            await store.PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob("mlp", 1), content, BlobCondition.None, null, CancellationToken.None);
        }

        var result = await provider.GetRequiredService<ModelRegistrar>().RegisterAsync("mlp", 1, CancellationToken.None);
        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        return provider;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
