using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>The blob store contract on Azure Blob Storage's REST API, against a real Azurite; plus auth and fault handling.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests : BlobStoreContractTests
{
    private readonly AzuriteFixture _azurite;

    public AzureBlobStoreTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
    }

    private protected override IBlobStore CreateStore(int listPageSize = 5000) =>
        _azurite.CreateStore(new AzureBlobStoreOptions
        {
            ListPageSize = listPageSize,
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(50),
        });

    [Fact]
    public async Task EnsureContainer_Twice_IsFine()
    {
        var store = CreateStore();
        var container = NewContainer();

        await store.EnsureContainerAsync(container, CancellationToken.None);
        await store.EnsureContainerAsync(container, CancellationToken.None);

        Assert.Empty(await store.ListAsync(container, null, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task WrongAccountKey_Fails403_WithoutLeakingTheKey()
    {
        var wrongKey = new byte[64];
        new Random(7).NextBytes(wrongKey);
        var store = _azurite.CreateStore(accountKey: wrongKey);

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() => store.EnsureContainerAsync(NewContainer(), CancellationToken.None));

        Assert.Equal(403, ex.Status);
        Assert.Contains("AuthorizationFailure", ex.Message + ex.InnerException?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(wrongKey), ex.ToString());
        Assert.DoesNotContain(StorageConnectionString.DevelopmentAccountKey, ex.ToString());
    }

    [Fact]
    public async Task NothingListening_FailsWithBlobStoreException_WithinTheRetryBudget()
    {
        var port = AzuriteFixture.FreePort();
        var store = new AzureBlobStore(
            new AzureBlobEndpoint(new Uri($"http://127.0.0.1:{port}/devstoreaccount1"), "devstoreaccount1",
                Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey), null, null),
            new AzureBlobStoreOptions
            {
                MaxRetries = 2,
                RetryDelay = TimeSpan.FromMilliseconds(100),
                MaxRetryDelay = TimeSpan.FromMilliseconds(400),
                NetworkTimeout = TimeSpan.FromSeconds(2),
            },
            NullLogger<AzureBlobStore>.Instance);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() => store.GetPropertiesAsync("models", "m.onnx", CancellationToken.None));

        stopwatch.Stop();
        Assert.Null(ex.Status);
        Assert.Contains("3 tries", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(StorageConnectionString.DevelopmentAccountKey, ex.ToString());
    }

    [Fact]
    public async Task Factory_WithConnectionString_BuildsAWorkingAzureStore()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [BlobStoreFactory.ConfigurationKey] = _azurite.ConnectionString })
            .Build();

        var store = BlobStoreFactory.Create(configuration, NullLoggerFactory.Instance);
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        await store.PutAsync(container, "via-factory", Text("ok"), BlobCondition.IfAbsent, null, CancellationToken.None);

        Assert.IsType<AzureBlobStore>(store);
        Assert.Equal("ok", await ReadTextAsync(store, container, "via-factory"));
        Assert.DoesNotContain(StorageConnectionString.DevelopmentAccountKey, store.Description);
        Assert.Contains($"127.0.0.1:{_azurite.Port}", store.Description);
    }

    [Fact]
    public async Task DownloadToFile_SmallChunks_UsesManyRangesAndStaysIntact()
    {
        var store = _azurite.CreateStore(new AzureBlobStoreOptions { BlockSize = 64 << 10, DownloadChunkSize = 64 << 10, MaxParallelism = 3 });
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        var content = new byte[(64 << 10) * 9 + 17];
        new Random(3).NextBytes(content);
        var path = Path.Combine(Path.GetTempPath(), $"ranges-{Guid.NewGuid():N}.bin");
        try
        {
            var written = await store.PutAsync(container, "chunks", new MemoryStream(content), BlobCondition.None, null, CancellationToken.None);
            var item = await store.DownloadToFileAsync(container, "chunks", path, CancellationToken.None);

            Assert.Equal(written.ETag, item!.ETag);
            Assert.Equal(content, await File.ReadAllBytesAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
