using System.Security.Cryptography;
using System.Text;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>
/// Behaviour every <see cref="IBlobStore"/> must show, run against each implementation by a derived class.
/// Each test works in a container of its own.
/// </summary>
public abstract class BlobStoreContractTests
{
    /// <summary>A store whose listing pages hold <paramref name="listPageSize"/> blobs (where the store pages at all).</summary>
    private protected abstract IBlobStore CreateStore(int listPageSize = 5000);

    private protected static string NewContainer() => "t" + Guid.NewGuid().ToString("N")[..20];

    private protected static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private protected async Task<(IBlobStore Store, string Container)> NewContainerAsync(int listPageSize = 5000)
    {
        var store = CreateStore(listPageSize);
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        return (store, container);
    }

    private protected static async Task<string> ReadTextAsync(IBlobStore store, string container, string name)
    {
        await using var download = await store.OpenReadAsync(container, name, CancellationToken.None);
        Assert.NotNull(download);
        using var reader = new StreamReader(download.Content, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task PutThenRead_RoundTripsContentLengthAndMetadata()
    {
        var (store, container) = await NewContainerAsync();
        var metadata = new Dictionary<string, string> { ["Sha256"] = "abc123", ["model_version"] = "7" };

        var written = await store.PutAsync(container, "models/iris/1/model.onnx", Text("hello blob"), BlobCondition.None, metadata, CancellationToken.None);
        var properties = await store.GetPropertiesAsync(container, "models/iris/1/model.onnx", CancellationToken.None);

        Assert.Equal(10, written.Length);
        Assert.NotNull(properties);
        Assert.Equal(written.ETag, properties.ETag);
        Assert.Equal(10, properties.Length);
        Assert.Equal("abc123", properties.Metadata["sha256"]);
        Assert.Equal("7", properties.Metadata["MODEL_VERSION"]);
        Assert.Equal(2, properties.Metadata.Count);
        Assert.InRange(properties.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal("hello blob", await ReadTextAsync(store, container, "models/iris/1/model.onnx"));
    }

    [Fact]
    public async Task Overwrite_ReplacesContentAndMetadataAndChangesETag()
    {
        var (store, container) = await NewContainerAsync();
        var first = await store.PutAsync(container, "a.txt", Text("one"), BlobCondition.None, new Dictionary<string, string> { ["k"] = "1" }, CancellationToken.None);

        var second = await store.PutAsync(container, "a.txt", Text("two!"), BlobCondition.None, null, CancellationToken.None);
        var properties = await store.GetPropertiesAsync(container, "a.txt", CancellationToken.None);

        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(second.ETag, properties!.ETag);
        Assert.Empty(properties.Metadata);
        Assert.Equal("two!", await ReadTextAsync(store, container, "a.txt"));
    }

    [Fact]
    public async Task Missing_BlobGivesNullAndFalse()
    {
        var (store, container) = await NewContainerAsync();
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.bin");

        Assert.Null(await store.GetPropertiesAsync(container, "nope", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync(container, "nope", CancellationToken.None));
        Assert.Null(await store.DownloadToFileAsync(container, "nope", path, CancellationToken.None));
        Assert.False(await store.DeleteAsync(container, "nope", BlobCondition.None, CancellationToken.None));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task List_MissingContainer_Throws404()
    {
        var store = CreateStore();

        var ex = await Assert.ThrowsAsync<BlobStoreException>(async () =>
            await store.ListAsync(NewContainer(), null, CancellationToken.None).ToListAsync());

        Assert.Equal(404, ex.Status);
    }

    [Fact]
    public async Task Put_IntoMissingContainer_Throws404()
    {
        var store = CreateStore();

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() =>
            store.PutAsync(NewContainer(), "m.onnx", Text("x"), BlobCondition.None, null, CancellationToken.None));

        Assert.Equal(404, ex.Status);
        Assert.Contains("ContainerNotFound", ex.Message);
    }

    [Fact]
    public async Task List_ReturnsAllBlobsInNameOrderAcrossPages()
    {
        var (store, container) = await NewContainerAsync(listPageSize: 4);
        var names = Enumerable.Range(0, 11).Select(i => $"m/{(i * 7) % 11:D2}.bin").Append("z-last").Append("a/b/c/deep").ToList();
        foreach (var name in names)
        {
            await store.PutAsync(container, name, Text(name), BlobCondition.None, new Dictionary<string, string> { ["n"] = name.Length.ToString() }, CancellationToken.None);
        }

        var listed = await store.ListAsync(container, null, CancellationToken.None).ToListAsync();

        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(b => b.Name));
        Assert.All(listed, b => Assert.Equal(b.Name.Length, b.Length));
        Assert.All(listed, b => Assert.Equal(b.Name.Length.ToString(), b.Metadata["n"]));
        var properties = await store.GetPropertiesAsync(container, "z-last", CancellationToken.None);
        Assert.Equal(properties!.ETag, listed.Single(b => b.Name == "z-last").ETag);
    }

    [Fact]
    public async Task List_WithPrefix_ReturnsOnlyMatchingNames()
    {
        var (store, container) = await NewContainerAsync(listPageSize: 2);
        foreach (var name in new[] { "iris/1/model.onnx", "iris/2/model.onnx", "iris-v2/1/model.onnx", "mlp/1/model.onnx", "iris.txt" })
        {
            await store.PutAsync(container, name, Text("x"), BlobCondition.None, null, CancellationToken.None);
        }

        var folder = await store.ListAsync(container, "iris/", CancellationToken.None).Select(b => b.Name).ToListAsync();
        var partial = await store.ListAsync(container, "iris", CancellationToken.None).Select(b => b.Name).ToListAsync();
        var none = await store.ListAsync(container, "nothing/", CancellationToken.None).ToListAsync();

        Assert.Equal(["iris/1/model.onnx", "iris/2/model.onnx"], folder);
        Assert.Equal(["iris-v2/1/model.onnx", "iris.txt", "iris/1/model.onnx", "iris/2/model.onnx"], partial);
        Assert.Empty(none);
    }

    [Fact]
    public async Task PutIfAbsent_Twice_SecondFailsAndKeepsFirst()
    {
        var (store, container) = await NewContainerAsync();
        await store.PutAsync(container, "once", Text("first"), BlobCondition.IfAbsent, null, CancellationToken.None);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            store.PutAsync(container, "once", Text("second"), BlobCondition.IfAbsent, null, CancellationToken.None));

        Assert.Equal("first", await ReadTextAsync(store, container, "once"));
    }

    [Fact]
    public async Task PutIfETagMatches_StaleETagFails_CurrentSucceeds()
    {
        var (store, container) = await NewContainerAsync();
        var v1 = await store.PutAsync(container, "doc", Text("v1"), BlobCondition.None, null, CancellationToken.None);
        var v2 = await store.PutAsync(container, "doc", Text("v2"), BlobCondition.IfETagMatches(v1.ETag), null, CancellationToken.None);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            store.PutAsync(container, "doc", Text("stale"), BlobCondition.IfETagMatches(v1.ETag), null, CancellationToken.None));
        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            store.PutAsync(container, "absent", Text("x"), BlobCondition.IfETagMatches(v1.ETag), null, CancellationToken.None));

        Assert.NotEqual(v1.ETag, v2.ETag);
        Assert.Equal("v2", await ReadTextAsync(store, container, "doc"));
        Assert.Null(await store.GetPropertiesAsync(container, "absent", CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentReadModifyWrite_TwentyIncrements_EndAtExactlyTwenty()
    {
        var (store, container) = await NewContainerAsync();
        await store.PutAsync(container, "counter", Text("0"), BlobCondition.None, null, CancellationToken.None);

        var conflicts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Counter.IncrementAsync(store, container, "counter", 1, CancellationToken.None))));

        var (value, _) = await Counter.ReadAsync(store, container, "counter", CancellationToken.None);
        Assert.Equal(20, value);
        Assert.True(conflicts.Sum() >= 0);
    }

    [Fact]
    public async Task Delete_HonoursConditions()
    {
        var (store, container) = await NewContainerAsync();
        var v1 = await store.PutAsync(container, "victim", Text("1"), BlobCondition.None, null, CancellationToken.None);
        var v2 = await store.PutAsync(container, "victim", Text("2"), BlobCondition.None, null, CancellationToken.None);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            store.DeleteAsync(container, "victim", BlobCondition.IfETagMatches(v1.ETag), CancellationToken.None));
        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            store.DeleteAsync(container, "victim", BlobCondition.IfAbsent, CancellationToken.None));
        Assert.NotNull(await store.GetPropertiesAsync(container, "victim", CancellationToken.None));

        Assert.True(await store.DeleteAsync(container, "victim", BlobCondition.IfETagMatches(v2.ETag), CancellationToken.None));
        Assert.Null(await store.GetPropertiesAsync(container, "victim", CancellationToken.None));
        Assert.False(await store.DeleteAsync(container, "victim", BlobCondition.None, CancellationToken.None));
        Assert.Empty(await store.ListAsync(container, null, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Lease_IsExclusiveUntilReleased()
    {
        var (store, container) = await NewContainerAsync();

        var first = await store.TryAcquireLeaseAsync(container, "locks/registry", TimeSpan.FromSeconds(15), CancellationToken.None);
        Assert.NotNull(first);
        var created = await store.GetPropertiesAsync(container, "locks/registry", CancellationToken.None);
        var second = await store.TryAcquireLeaseAsync(container, "locks/registry", TimeSpan.FromSeconds(15), CancellationToken.None);
        var renewed = await first.RenewAsync(CancellationToken.None);
        var write = await Assert.ThrowsAsync<BlobStoreException>(() =>
            store.PutAsync(container, "locks/registry", Text("x"), BlobCondition.None, null, CancellationToken.None));
        await first.DisposeAsync();
        var third = await store.TryAcquireLeaseAsync(container, "locks/registry", TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.NotNull(created);
        Assert.Equal(0, created.Length);
        Assert.Null(second);
        Assert.True(renewed);
        Assert.Equal(412, write.Status);
        Assert.NotNull(third);
        Assert.NotEqual(first.LeaseId, third.LeaseId);
        Assert.False(await first.RenewAsync(CancellationToken.None));
        await third.DisposeAsync();
        await store.PutAsync(container, "locks/registry", Text("free"), BlobCondition.None, null, CancellationToken.None);
    }

    [Fact]
    public async Task Lease_DurationOutsideFifteenToSixtySeconds_IsRejected()
    {
        var (store, container) = await NewContainerAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.TryAcquireLeaseAsync(container, "l", TimeSpan.FromSeconds(5), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.TryAcquireLeaseAsync(container, "l", TimeSpan.FromMinutes(2), CancellationToken.None));
    }

    [Fact]
    public async Task LargeBlob_UploadsInBlocksAndDownloadsInParallelRanges_Intact()
    {
        var (store, container) = await NewContainerAsync();
        var content = new byte[(20 << 20) + 12345];
        new Random(42).NextBytes(content);
        var expected = SHA256.HashData(content);
        var path = Path.Combine(Path.GetTempPath(), $"large-{Guid.NewGuid():N}", "model.onnx");
        try
        {
            var written = await store.PutAsync(container, "big/model.onnx", new MemoryStream(content), BlobCondition.IfAbsent, new Dictionary<string, string> { ["size"] = "big" }, CancellationToken.None);
            var downloaded = await store.DownloadToFileAsync(container, "big/model.onnx", path, CancellationToken.None);
            await using var stream = await store.OpenReadAsync(container, "big/model.onnx", CancellationToken.None);

            Assert.Equal(content.Length, written.Length);
            Assert.Equal(written.ETag, downloaded!.ETag);
            Assert.Equal(content.Length, downloaded.Length);
            Assert.Equal("big", downloaded.Metadata["size"]);
            Assert.Equal(expected, SHA256.HashData(File.ReadAllBytes(path)));
            Assert.Equal(expected, await SHA256.HashDataAsync(stream!.Content));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task EmptyBlob_RoundTrips()
    {
        var (store, container) = await NewContainerAsync();
        var path = Path.Combine(Path.GetTempPath(), $"empty-{Guid.NewGuid():N}.bin");
        try
        {
            await store.PutAsync(container, "empty", new MemoryStream(), BlobCondition.None, null, CancellationToken.None);
            var item = await store.DownloadToFileAsync(container, "empty", path, CancellationToken.None);

            Assert.Equal(0, item!.Length);
            Assert.Equal(0, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("folder with spaces/model v1.onnx")]
    [InlineData("ünïcödé/模型/モデル.onnx")]
    [InlineData("odd chars/a+b=c&d;e,f@g$h'i(j)k!~#%41.txt")]
    [InlineData(".hidden/.config")]
    public async Task UnusualButValidNames_RoundTripExactly(string name)
    {
        var (store, container) = await NewContainerAsync();

        await store.PutAsync(container, name, Text(name), BlobCondition.IfAbsent, null, CancellationToken.None);
        var listed = await store.ListAsync(container, null, CancellationToken.None).Select(b => b.Name).ToListAsync();
        var byPrefix = await store.ListAsync(container, name[..(name.IndexOf('/') + 1)], CancellationToken.None).Select(b => b.Name).ToListAsync();

        Assert.Equal([name], listed);
        Assert.Equal([name], byPrefix);
        Assert.Equal(name, await ReadTextAsync(store, container, name));
        Assert.True(await store.DeleteAsync(container, name, BlobCondition.None, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("a/./b")]
    [InlineData("/absolute")]
    [InlineData("C:/windows")]
    [InlineData("back\\slash")]
    [InlineData("a//b")]
    [InlineData("trailing/")]
    [InlineData("control\u0001char")]
    [InlineData("new\nline")]
    public async Task HostileBlobNames_AreRejectedBeforeAnyIo(string name)
    {
        var (store, container) = await NewContainerAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(container, name, Text("x"), BlobCondition.None, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetPropertiesAsync(container, name, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(container, name, BlobCondition.None, CancellationToken.None));
        Assert.Empty(await store.ListAsync(container, null, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task OverlongNameAndBadContainersAndMetadata_AreRejected()
    {
        var (store, container) = await NewContainerAsync();

        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.PutAsync(container, new string('a', 1025), Text("x"), BlobCondition.None, null, CancellationToken.None));
        Assert.Contains("1024", tooLong.Message);
        foreach (var bad in new[] { "UPPER", "ab", "../x", "a--b", "-ab", "with space" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.EnsureContainerAsync(bad, CancellationToken.None));
        }

        foreach (var metadata in new[] { new Dictionary<string, string> { ["bad-name"] = "x" }, new Dictionary<string, string> { ["ok"] = "ünicode" } })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(container, "m", Text("x"), BlobCondition.None, metadata, CancellationToken.None));
        }
    }
}
