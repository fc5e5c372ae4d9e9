using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;
using Xunit.Abstractions;

namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>
/// Cost of the monitoring capture on the request path: requests/s of in-process InferenceService calls
/// (one row per request, sequential) with and without the capture observer, on iris and on the mlp.
/// Run it in Release (<c>dotnet test -c Release --filter Category=Measurement</c>): a Debug build of Core is
/// unoptimized and overstates the capture's cost several times.
/// </summary>
[Trait("Category", "Measurement")]
public sealed class CaptureOverheadMeasurements(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-capture-measure-").FullName;

    [Theory]
    [InlineData("iris", "iris.onnx", "features", 4)]
    [InlineData("mlp", "mlp.onnx", "x", 256)]
    public async Task Measure_CaptureOverhead(string model, string file, string input, int columns)
    {
        await using var plain = await StartAsync("plain", model, file, capture: false);
        await using var captured = await StartAsync("captured", model, file, capture: true);
        await using var sampled = await StartAsync("sampled", model, file, capture: true, samplingRate: "0.1");
        var random = new Random(1);
        // Varied rows, as real traffic: constant inputs would make every feature look categorical.
        var requests = Enumerable.Range(0, 256)
            .Select(_ => new InferenceRequest(null, null, [NamedTensor.FromArray(input, TensorDataType.Float32, [1, columns], Enumerable.Range(0, columns).Select(_ => (float)random.NextDouble() * 5).ToArray())], null))
            .ToArray();
        var plainService = plain.GetRequiredService<InferenceService>();
        var capturedService = captured.GetRequiredService<InferenceService>();
        var sampledService = sampled.GetRequiredService<InferenceService>();
        await RunForAsync(plainService, model, requests, TimeSpan.FromMilliseconds(500));
        await RunForAsync(capturedService, model, requests, TimeSpan.FromMilliseconds(500));
        await RunForAsync(sampledService, model, requests, TimeSpan.FromMilliseconds(500));

        // Interleaved rounds, so drift in machine load hits both sides alike.
        double plainTotal = 0;
        double capturedTotal = 0;
        double sampledTotal = 0;
        for (var round = 0; round < 4; round++)
        {
            plainTotal += await RunForAsync(plainService, model, requests, TimeSpan.FromSeconds(1));
            capturedTotal += await RunForAsync(capturedService, model, requests, TimeSpan.FromSeconds(1));
            sampledTotal += await RunForAsync(sampledService, model, requests, TimeSpan.FromSeconds(1));
        }

        var ratio = capturedTotal / plainTotal;
        output.WriteLine($"{model}: without capture {plainTotal / 4:F0} req/s, with capture {capturedTotal / 4:F0} req/s, ratio {ratio:F3} (overhead {(1 - ratio) * 100:F1} %)");
        output.WriteLine($"{model}: features sampled at 0.1 {sampledTotal / 4:F0} req/s, ratio {sampledTotal / plainTotal:F3} (overhead {(1 - (sampledTotal / plainTotal)) * 100:F1} %)");

        // The capture's own cost, timed alone (less exposed to the neighbours' load than two throughputs).
        var capture = captured.GetRequiredService<MonitoringCapture>();
        var responses = new List<IReadOnlyList<NamedTensor>>();
        foreach (var request in requests)
        {
            responses.Add((await plainService.InferAsync(model, null, request, CancellationToken.None)).Outputs);
        }

        var calls = 0;
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed < TimeSpan.FromSeconds(1))
        {
            capture.Completed(model, 1, requests[calls % requests.Length].Inputs, responses[calls % requests.Length], Metrics.RequestOutcome.Success, TimeSpan.FromMilliseconds(1));
            calls++;
        }

        var captureMicros = timer.Elapsed.TotalMicroseconds / calls;
        var plainMicros = 1e6 / (plainTotal / 4);
        output.WriteLine($"{model}: capture alone {captureMicros:F2} us/request = {captureMicros / plainMicros * 100:F1} % of a plain request ({plainMicros:F1} us)");

        // The capture saw the traffic: its window has every request and the features of the sampled ones.
        var written = await captured.GetRequiredService<MonitoringCapture>().FlushAsync(includeOpen: true, CancellationToken.None);
        Assert.True(written >= 1);
        // No bound on the ratio: on a shared machine it moves with the neighbours' load (see the report's figures).
    }

    private static async Task<double> RunForAsync(InferenceService service, string model, InferenceRequest[] requests, TimeSpan duration)
    {
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            await service.InferAsync(model, null, requests[count % requests.Length], CancellationToken.None);
            count++;
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    private async Task<ServiceProvider> StartAsync(string name, string model, string file, bool capture, string samplingRate = "1.0")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ModelFunctions:Store"] = Path.Combine(_root, name),
                ["ModelFunctions:Registration:StableFor"] = "00:00:00",
                ["ModelFunctions:Monitoring:InstanceId"] = name,
                ["ModelFunctions:Monitoring:SamplingRate"] = samplingRate,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddModelFunctions(configuration);
        if (!capture)
        {
            services.RemoveAll<IInferenceObserver>();
        }

        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IBlobStore>();
        foreach (var container in new[] { ModelStoreLayout.ModelsContainer, ModelStoreLayout.RegistryContainer, ModelStoreLayout.MonitoringContainer })
        {
            await store.EnsureContainerAsync(container, CancellationToken.None);
        }

        using (var content = new MemoryStream(TestModels.Bytes(file)))
        {
            await store.PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob(model, 1), content, BlobCondition.None, null, CancellationToken.None);
        }

        var result = await provider.GetRequiredService<ModelRegistrar>().RegisterAsync(model, 1, CancellationToken.None);
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
