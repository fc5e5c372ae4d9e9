using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Registry;

namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>The capture against a real folder store and the registered iris model: names, flush, learning, merge of two instances.</summary>
public sealed class MonitoringCaptureTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-capture-").FullName;

    [Fact]
    public async Task TwoInstances_FlushTheirWindows_AndTheChecksMergeThem()
    {
        using var h = new RegistryHarness(new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance));
        await h.Store.EnsureContainerAsync(ModelStoreLayout.MonitoringContainer, CancellationToken.None);
        await h.DropFileAsync("iris", 1, ModelStoreLayout.ReferenceFileName, TestModels.Bytes("iris.reference.csv"));
        await h.DropAsync("iris", 1, TestModels.Bytes("iris.onnx"));
        Assert.Equal(RegistrationOutcome.Registered, (await h.Registrar.RegisterAsync("iris", 1, CancellationToken.None)).Outcome);
        var options = new MonitoringOptions { WindowLength = TimeSpan.FromMinutes(1), LearnedBaselineSize = 20 };
        // The clock is real (plus an offset): start just after a window boundary so the requests share one window.
        var now = h.Time.GetUtcNow();
        var intoWindow = TimeSpan.FromTicks(now.UtcTicks % options.WindowLength.Ticks);
        h.Time.Advance(options.WindowLength - intoWindow + TimeSpan.FromSeconds(1));
        var a = Capture(h, options, "a");
        var b = Capture(h, options, "b");
        var random = new Random(2);

        // The first request of each starts loading the baselines; afterwards features are captured (the first
        // request's own features only when the load wins the race, hence the ranges below).
        Send(a, random, 1);
        Send(b, random, 1);
        await Task.Delay(300);
        for (var i = 0; i < 10; i++)
        {
            Send(a, random, 10);
        }

        for (var i = 0; i < 5; i++)
        {
            Send(b, random, 10);
        }

        a.Completed("iris", 1, [], null, RequestOutcome.ServerError, TimeSpan.FromMilliseconds(900));

        Assert.Equal(1, await a.FlushAsync(includeOpen: true, CancellationToken.None));
        Assert.Equal(1, await b.FlushAsync(includeOpen: true, CancellationToken.None));

        var blobs = await ListAsync(h.Store, MonitoringLayout.WindowsPrefix("iris", 1));
        Assert.Equal(2, blobs.Count);
        Assert.Matches(@"^iris/1/windows/\d{8}T\d{6}Z/a\.json$", blobs[0]);
        Assert.EndsWith("/b.json", blobs[1], StringComparison.Ordinal);
        var windowA = VersionWindow.FromJson(await ReadAsync(h.Store, blobs[0]));
        Assert.Equal(
            ["sepal_length", "sepal_width", "petal_length", "petal_width", "label"],
            windowA.Features.Select(f => f.Name));
        Assert.InRange(windowA.Features[0].Numeric!.ValidCount, 100, 101);
        Assert.Equal(12, windowA.Requests.Total);
        Assert.Equal(1, windowA.Requests.ServerError);

        // Outputs learned their baseline from the first 20 rows; the first flush saved it for every instance.
        using (var learned = await h.Store.OpenReadAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.LearnedBaselineBlob("iris", 1), CancellationToken.None))
        {
            Assert.NotNull(learned);
        }

        var service = new MonitoringService(h.Registry, h.Store, a, [], Microsoft.Extensions.Options.Options.Create(options), h.Time, NullLoggerFactory.Instance);
        var report = Assert.Single(await service.RunChecksAsync(CancellationToken.None));

        var version = Assert.Single(report.Versions);
        Assert.Equal(2, version.Windows);
        Assert.Equal(["a", "b"], version.Instances.Order());
        Assert.Equal(12 + 6, version.Requests.Total);
        Assert.InRange(version.Features.Single(f => f.Name == "petal_width").Drift!.SampleSize, 150, 152);
        Assert.Equal("reference", version.Features.Single(f => f.Name == "petal_width").Baseline);
        Assert.Contains(version.Signals, s => s.Signal == "drift:petal_width" && s.Category == AlertCategory.Drift);
        Assert.NotNull(await service.GetLatestReportAsync("iris", CancellationToken.None));
    }

    private static MonitoringCapture Capture(RegistryHarness h, MonitoringOptions options, string instance) => new(
        h.Store,
        Microsoft.Extensions.Options.Options.Create(new MonitoringOptions
        {
            WindowLength = options.WindowLength,
            LearnedBaselineSize = options.LearnedBaselineSize,
            InstanceId = instance,
        }),
        h.Time,
        NullLogger<MonitoringCapture>.Instance);

    private static void Send(MonitoringCapture capture, Random random, int rows)
    {
        var features = Enumerable.Range(0, rows * 4).Select(_ => (float)(1 + (random.NextDouble() * 5))).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => (long)random.Next(3)).ToArray();
        capture.Completed(
            "iris",
            1,
            [NamedTensor.FromArray("features", TensorDataType.Float32, [rows, 4], features)],
            [NamedTensor.FromArray("label", TensorDataType.Int64, [rows], labels)],
            RequestOutcome.Success,
            TimeSpan.FromMilliseconds(2));
    }

    private static async Task<List<string>> ListAsync(IBlobStore store, string prefix)
    {
        var names = new List<string>();
        await foreach (var item in store.ListAsync(ModelStoreLayout.MonitoringContainer, prefix, CancellationToken.None))
        {
            names.Add(item.Name);
        }

        return names;
    }

    private static async Task<byte[]> ReadAsync(IBlobStore store, string name)
    {
        await using var download = await store.OpenReadAsync(ModelStoreLayout.MonitoringContainer, name, CancellationToken.None);
        using var buffer = new MemoryStream();
        await download!.Content.CopyToAsync(buffer);
        return buffer.ToArray();
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
