using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Registry;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>
/// The blob service taken away (the Azurite process the test started is killed) and brought back on the same port
/// with its data, at the moments that matter: during a registration, between the download and the manifest; and
/// during a capture flush. Nothing may be half-written, lost or counted twice.
/// </summary>
public sealed class StoreOutageTests(PersistentAzuriteFixture azurite) : IClassFixture<PersistentAzuriteFixture>
{
    // One quick retry: the outages below outlast it, so the store's failure reaches the caller.
    private static readonly AzureBlobStoreOptions GiveUpQuickly = new() { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(100), NetworkTimeout = TimeSpan.FromSeconds(5) };

    // Enough retries to span the emulator's restart (about a second).
    private static readonly AzureBlobStoreOptions RideItOut = new() { MaxRetries = 5, RetryDelay = TimeSpan.FromSeconds(0.5), MaxRetryDelay = TimeSpan.FromSeconds(2), NetworkTimeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData("iris.onnx", VersionStatus.Ready)]
    [InlineData(null, VersionStatus.Rejected)]
    public async Task Registration_CutBetweenDownloadAndManifest_LeavesNothing_AndItsRetryEndsOnceAsBefore(string? modelFile, VersionStatus expected)
    {
        var store = new OutageBlobStore(azurite.CreateStore(GiveUpQuickly));
        using var h = new RegistryHarness(store);
        var model = RegistryHarness.UniqueModel("outage");
        await h.DropFileAsync(model, 1, ModelStoreLayout.ReferenceFileName, TestModels.Bytes("iris.reference.csv"));
        await h.DropAsync(model, 1, modelFile is null ? "not an onnx model"u8.ToArray() : TestModels.Bytes(modelFile));
        store.BeforeWrite = ((container, name) => container == ModelStoreLayout.RegistryContainer && name == ModelStoreLayout.ManifestBlob(model, 1), azurite.StopAsync);

        try
        {
            await Assert.ThrowsAsync<BlobStoreException>(() => h.Registrar.RegisterAsync(model, 1, CancellationToken.None));
        }
        finally
        {
            await azurite.StartAsync();
        }

        Assert.Null(await h.Registry.GetManifestAsync(model, 1, CancellationToken.None));
        Assert.DoesNotContain((await h.Registry.GetStateAsync(model, CancellationToken.None)).History, c => c.Action == StateActions.Register);

        // The retry (the next scan, or the trigger delivered again), then a duplicate delivery.
        var retried = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        var again = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        var manifest = await h.Registry.GetManifestAsync(model, 1, CancellationToken.None);
        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Equal(expected, manifest!.Status);
        Assert.Equal(RegistrationOutcome.AlreadyRegistered, again.Outcome);
        if (expected == VersionStatus.Ready)
        {
            Assert.Equal(RegistrationOutcome.Registered, retried.Outcome);
            Assert.Single(state.History, c => c.Action == StateActions.Register && c.To == 1);
            Assert.Equal(1, state.Production);
            Assert.True(manifest.HasBaseline);
            Assert.NotNull(await h.Store.GetPropertiesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, 1), CancellationToken.None));
        }
        else
        {
            Assert.Equal(RegistrationOutcome.Rejected, retried.Outcome);
            Assert.Equal(RegistrationStage.Format, manifest.FailedStage);
            Assert.Null(state.Production);
        }
    }

    [Fact]
    public async Task Registration_CutShorterThanTheClientsRetries_CompletesInTheSameCall()
    {
        var store = new OutageBlobStore(azurite.CreateStore(RideItOut));
        using var h = new RegistryHarness(store);
        var model = RegistryHarness.UniqueModel("blip");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        Task? restart = null;
        store.BeforeWrite = ((container, name) => container == ModelStoreLayout.RegistryContainer && name == ModelStoreLayout.ManifestBlob(model, 1), async () =>
        {
            await azurite.StopAsync();
            restart = Task.Run(async () =>
            {
                await Task.Delay(300);
                await azurite.StartAsync();
            });
        });

        var result = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await restart!;

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(1, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
    }

    [Fact]
    public async Task CaptureFlush_DuringAnOutage_KeepsTheWindow_AndLaterFlushesWriteItOnce()
    {
        var store = azurite.CreateStore(GiveUpQuickly);
        using var h = new RegistryHarness(store);
        var model = RegistryHarness.UniqueModel("flush");
        await ModelStoreLayout.EnsureContainersAsync(store, CancellationToken.None);
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        Assert.Equal(RegistrationOutcome.Registered, (await h.Registrar.RegisterAsync(model, 1, CancellationToken.None)).Outcome);
        var options = new MonitoringOptions { WindowLength = TimeSpan.FromHours(1), InstanceId = "outage" };
        var capture = new MonitoringCapture(store, Microsoft.Extensions.Options.Options.Create(options), h.Time, NullLogger<MonitoringCapture>.Instance);
        const int requests = 37;
        for (var i = 0; i < requests; i++)
        {
            capture.Completed(model, 1, [NamedTensor.FromArray("features", TensorDataType.Float32, [1, 4], new[] { 5f, 3f, 1f, 0.2f })], null, RequestOutcome.Success, TimeSpan.FromMilliseconds(1));
        }

        await azurite.StopAsync();
        int duringOutage;
        try
        {
            duringOutage = await capture.FlushAsync(includeOpen: true, CancellationToken.None);
        }
        finally
        {
            await azurite.StartAsync();
        }

        var first = await capture.FlushAsync(includeOpen: true, CancellationToken.None);
        var second = await capture.FlushAsync(includeOpen: true, CancellationToken.None);

        Assert.Equal(0, duringOutage);
        Assert.Equal(1, first);
        Assert.Equal(1, second);
        var windows = await store.ListAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.WindowsPrefix(model, 1), CancellationToken.None).ToListAsync();
        var window = Assert.Single(windows);
        await using var download = await store.OpenReadAsync(ModelStoreLayout.MonitoringContainer, window.Name, CancellationToken.None);
        using var buffer = new MemoryStream();
        await download!.Content.CopyToAsync(buffer);
        Assert.Equal(requests, VersionWindow.FromJson(buffer.ToArray()).Requests.Success);
    }
}
