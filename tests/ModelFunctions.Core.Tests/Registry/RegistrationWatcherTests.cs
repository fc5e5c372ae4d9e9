using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Inference;
using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>The background watcher registers drops by itself: file events on the folder store, polling on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RegistrationWatcherTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-registry-watch-").FullName;

    [Fact]
    public async Task Watcher_FolderStore_RegistersADropFromFileEventsWithoutPolling()
    {
        var store = new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance);
        // Polling once an hour: only the file-system watcher can explain a prompt registration.
        await WatchAndDropAsync(store, new RegistrationOptions { StableFor = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromHours(1) });
    }

    [Fact]
    public async Task Watcher_BlobStore_RegistersADropByPolling()
    {
        await WatchAndDropAsync(azurite.CreateStore(), new RegistrationOptions { StableFor = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(500) });
    }

    private async Task WatchAndDropAsync(IBlobStore store, RegistrationOptions options)
    {
        using var h = new RegistryHarness(store, options);
        var log = new RecordingLogger<RegistrationWatcher>();
        using var watcher = new RegistrationWatcher(store, h.Registrar, Options.Create(options), TimeProvider.System, log);
        var model = RegistryHarness.UniqueModel("watched");
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => Task.FromResult(watcher.CompletedScans >= 1), TimeSpan.FromSeconds(20), log);
            await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));

            await WaitUntilAsync(async () => (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production == 1, TimeSpan.FromSeconds(20), log);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        var manifest = await h.Registry.GetManifestAsync(model, 1, CancellationToken.None);
        Assert.Equal(VersionStatus.Ready, manifest!.Status);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, RecordingLogger<RegistrationWatcher> log)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            Assert.False(cts.IsCancellationRequested, $"Condition not met within {timeout}; watcher log: {string.Join(" | ", log.Entries.Select(e => e.Message))}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
