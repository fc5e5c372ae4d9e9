using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>The blob store contract on Azure Blob Storage through the Azure SDK, against a real Azurite; plus auth and fault handling.</summary>
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
        var wrongKeyBytes = new byte[64];
        new Random(7).NextBytes(wrongKeyBytes);
        var wrongKey = Convert.ToBase64String(wrongKeyBytes);
        var store = _azurite.CreateStore(accountKey: wrongKey);

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() => store.EnsureContainerAsync(NewContainer(), CancellationToken.None));

        Assert.Equal(403, ex.Status);
        Assert.Contains("AuthorizationFailure", ex.Message + ex.InnerException?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(wrongKey, ex.ToString());
        Assert.DoesNotContain(AzuriteFixture.AccountKey, ex.ToString());
    }

    [Fact]
    public async Task NothingListening_FailsWithBlobStoreException_WithinTheRetryBudget()
    {
        var port = AzuriteFixture.FreePort();
        var store = SharedKeyStore(port, new AzureBlobStoreOptions
        {
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
            NetworkTimeout = TimeSpan.FromSeconds(2),
        });
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() => store.GetPropertiesAsync("models", "m.onnx", CancellationToken.None));

        stopwatch.Stop();
        Assert.Null(ex.Status);
        Assert.Contains("3 tries", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(AzuriteFixture.AccountKey, ex.ToString());
    }

    [Fact]
    public async Task ServerThatNeverAnswers_TimesOutPerTry_AndFailsWithinTheBudget()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        var acceptor = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptTcpClientAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var store = SharedKeyStore(port, new AzureBlobStoreOptions
        {
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            NetworkTimeout = TimeSpan.FromMilliseconds(700),
        });
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() => store.GetPropertiesAsync("models", "m.onnx", CancellationToken.None));

        stopwatch.Stop();
        await stop.CancelAsync();
        await acceptor;
        accepted.ForEach(c => c.Dispose());
        Assert.Null(ex.Status);
        Assert.Contains("2 tries", ex.Message);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(8));
        Assert.Equal(2, accepted.Count);
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
        Assert.DoesNotContain(AzuriteFixture.AccountKey, store.Description);
        Assert.Contains($"127.0.0.1:{_azurite.Port}", store.Description);
    }

    [Fact]
    public async Task SasConnectionString_IsAcceptedByTheService_AndAForgedSignatureIsNot()
    {
        var sas = AccountSas(DateTimeOffset.UtcNow.AddHours(1));
        var forged = sas.Replace("sp=rwdlac", "sp=rwdlacx", StringComparison.Ordinal);
        var viaConnectionString = Factory($"BlobEndpoint={_azurite.BlobEndpoint};SharedAccessSignature={sas}");
        var bad = Factory($"BlobEndpoint={_azurite.BlobEndpoint};SharedAccessSignature={forged}");
        var container = NewContainer();

        await viaConnectionString.EnsureContainerAsync(container, CancellationToken.None);
        await viaConnectionString.PutAsync(container, "sas/ü x.txt", Text("via sas"), BlobCondition.IfAbsent, new Dictionary<string, string> { ["k"] = "v" }, CancellationToken.None);
        var listed = await viaConnectionString.ListAsync(container, "sas/", CancellationToken.None).ToListAsync();
        var ex = await Assert.ThrowsAsync<BlobStoreException>(() => bad.GetPropertiesAsync(container, "sas/ü x.txt", CancellationToken.None));

        Assert.Equal("Azure Blob Storage at " + _azurite.BlobEndpoint + " (SAS)", viaConnectionString.Description);
        Assert.Equal("v", Assert.Single(listed).Metadata["k"]);
        Assert.Equal("via sas", await ReadTextAsync(viaConnectionString, container, "sas/ü x.txt"));
        Assert.Equal(403, ex.Status);
        Assert.DoesNotContain("sig=", ex.Message);
        Assert.DoesNotContain("sig=", bad.Description);
    }

    // An account SAS for the development account, made by the SDK's own builder.
    private static string AccountSas(DateTimeOffset expiry)
    {
        var builder = new AccountSasBuilder(
            AccountSasPermissions.Read | AccountSasPermissions.Write | AccountSasPermissions.Delete | AccountSasPermissions.List | AccountSasPermissions.Add | AccountSasPermissions.Create,
            expiry,
            AccountSasServices.Blobs,
            AccountSasResourceTypes.All)
        {
            Protocol = SasProtocol.HttpsAndHttp,
        };
        return builder.ToSasQueryParameters(new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey)).ToString();
    }

    private static IBlobStore Factory(string setting) =>
        BlobStoreFactory.Create(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [BlobStoreFactory.ConfigurationKey] = setting }).Build(),
            NullLoggerFactory.Instance,
            null,
            new AzureBlobStoreOptions { MaxRetries = 0 });

    private static AzureBlobStore SharedKeyStore(int port, AzureBlobStoreOptions options)
    {
        var client = new BlobServiceClient(
            new Uri($"http://127.0.0.1:{port}/{AzuriteFixture.AccountName}"),
            new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey),
            options.CreateClientOptions());
        return new AzureBlobStore(client, "shared key", options, NullLogger<AzureBlobStore>.Instance);
    }

    [Fact]
    public async Task DownloadToFile_WhileTheBlobIsOverwritten_NeverMixesVersions()
    {
        var store = _azurite.CreateStore(new AzureBlobStoreOptions { DownloadChunkSize = 64 << 10, MaxParallelism = 2, MaxRetries = 0 });
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        var versions = Enumerable.Range(0, 2).Select(v => Enumerable.Repeat((byte)('A' + v), 2 << 20).ToArray()).ToArray();
        var hashes = versions.Select(v => Convert.ToHexString(SHA256.HashData(v))).ToArray();
        await store.PutAsync(container, "moving", new MemoryStream(versions[0]), BlobCondition.None, null, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                await store.PutAsync(container, "moving", new MemoryStream(versions[i % 2]), BlobCondition.None, null, CancellationToken.None);
            }
        });
        var path = Path.Combine(Path.GetTempPath(), $"moving-{Guid.NewGuid():N}.bin");
        var completed = 0;
        var gaveUp = 0;
        try
        {
            for (var i = 0; i < 15; i++)
            {
                try
                {
                    await store.DownloadToFileAsync(container, "moving", path, CancellationToken.None);
                    Assert.Contains(Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path))), hashes);
                    completed++;
                }
                catch (BlobStoreException ex) when (ex.Status == 412)
                {
                    gaveUp++;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
            File.Delete(path);
        }

        Assert.Equal(15, completed + gaveUp);
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
