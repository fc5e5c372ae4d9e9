using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>The blob store contract on the folder store, plus what only a folder can show.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mf-fs-store-" + Guid.NewGuid().ToString("N"));

    private protected override IBlobStore CreateStore(int listPageSize = 5000) => NewStore();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private FileSystemBlobStore NewStore() => new(_root, NullLogger<FileSystemBlobStore>.Instance);

    [Fact]
    public async Task Layout_IsOneFolderPerContainerWithRelativePaths_AndHidesSidecarsAndTempFiles()
    {
        var store = NewStore();
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        await store.PutAsync(container, "iris/1/model.onnx", Text("m"), BlobCondition.None, new Dictionary<string, string> { ["k"] = "v" }, CancellationToken.None);
        // A writer that died mid-write leaves a temp file behind; listing must not show it.
        await File.WriteAllTextAsync(Path.Combine(_root, container, "iris", "1", ".mf-dead" + FileSystemBlobStore.TempSuffix), "half");

        var listed = await store.ListAsync(container, null, CancellationToken.None).Select(b => b.Name).ToListAsync();

        Assert.Equal("m", await File.ReadAllTextAsync(Path.Combine(_root, container, "iris", "1", "model.onnx")));
        Assert.True(Directory.Exists(Path.Combine(_root, container, FileSystemBlobStore.MetaFolder)));
        Assert.Equal(["iris/1/model.onnx"], listed);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.PutAsync(container, FileSystemBlobStore.MetaFolder + "/x", Text("x"), BlobCondition.None, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.PutAsync(container, "x" + FileSystemBlobStore.TempSuffix, Text("x"), BlobCondition.None, null, CancellationToken.None));
    }

    [Fact]
    public async Task FileCopiedInByHand_IsListedAndReplacingItByHand_ChangesItsETag()
    {
        var store = NewStore();
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        var path = Path.Combine(_root, container, "manual", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "by hand");

        var before = await store.GetPropertiesAsync(container, "manual/model.onnx", CancellationToken.None);
        var written = await store.PutAsync(container, "manual/model.onnx", Text("by store"), BlobCondition.IfETagMatches(before!.ETag), null, CancellationToken.None);
        await File.WriteAllTextAsync(path, "by hand again");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        var after = await store.GetPropertiesAsync(container, "manual/model.onnx", CancellationToken.None);

        Assert.Equal(7, before.Length);
        Assert.NotEqual(written.ETag, after!.ETag);
        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            store.PutAsync(container, "manual/model.onnx", Text("x"), BlobCondition.IfETagMatches(written.ETag), null, CancellationToken.None));
    }

    [Fact]
    public async Task BlobAndFolderOfTheSameName_GiveAClearError()
    {
        var store = NewStore();
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        await store.PutAsync(container, "a", Text("file"), BlobCondition.None, null, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<BlobStoreException>(() =>
            store.PutAsync(container, "a/b", Text("x"), BlobCondition.None, null, CancellationToken.None));

        Assert.Contains("folder", ex.Message);
    }

    [Fact]
    public async Task TwoStoreInstancesOnOneFolder_KeepConditionsAndLeasesExclusive()
    {
        var container = NewContainer();
        var a = NewStore();
        var b = NewStore();
        await a.EnsureContainerAsync(container, CancellationToken.None);
        await a.PutAsync(container, "counter", Text("0"), BlobCondition.None, null, CancellationToken.None);

        await Task.WhenAll(
            Task.Run(() => Counter.IncrementAsync(a, container, "counter", 15, CancellationToken.None)),
            Task.Run(() => Counter.IncrementAsync(b, container, "counter", 15, CancellationToken.None)));
        await using var lease = await a.TryAcquireLeaseAsync(container, "lock", TimeSpan.FromSeconds(15), CancellationToken.None);

        Assert.Equal(30, (await Counter.ReadAsync(b, container, "counter", CancellationToken.None)).Value);
        Assert.NotNull(lease);
        Assert.Null(await b.TryAcquireLeaseAsync(container, "lock", TimeSpan.FromSeconds(15), CancellationToken.None));
    }

    [Fact]
    public async Task WritersInSeparateProcesses_LoseNoIncrement()
    {
        var store = NewStore();
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        await store.PutAsync(container, "counter", Text("0"), BlobCondition.None, null, CancellationToken.None);

        var workers = Enumerable.Range(0, 2).Select(_ => StartIncrementer(container, "counter", 15)).ToList();
        var local = await Counter.IncrementAsync(store, container, "counter", 15, CancellationToken.None);
        foreach (var worker in workers)
        {
            using (worker)
            {
                var output = await worker.StandardOutput.ReadToEndAsync();
                var errors = await worker.StandardError.ReadToEndAsync();
                await worker.WaitForExitAsync();
                Assert.True(worker.ExitCode == 0, $"worker failed ({worker.ExitCode}): {output} {errors}");
            }
        }

        Assert.Equal(45, (await Counter.ReadAsync(store, container, "counter", CancellationToken.None)).Value);
    }

    [Fact]
    public async Task WriterKilledMidWrite_LeavesTheOldContent_AndTheNextConditionalWriteSucceeds()
    {
        var store = NewStore();
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        var before = await store.PutAsync(container, "registry/state.json", Text("v1"), BlobCondition.None, null, CancellationToken.None);

        using (var writer = StartWorker("write-slowly", _root, container, "registry/state.json"))
        {
            var line = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("writing", line);
            writer.Kill(entireProcessTree: true);
            await writer.WaitForExitAsync();
        }

        var after = await store.GetPropertiesAsync(container, "registry/state.json", CancellationToken.None);
        var listed = await store.ListAsync(container, null, CancellationToken.None).Select(b => b.Name).ToListAsync();
        Assert.Equal(before.ETag, after!.ETag);
        Assert.Equal("v1", await ReadTextAsync(store, container, "registry/state.json"));
        Assert.Equal(["registry/state.json"], listed);

        // The dead writer's lock went with its process: a conditional write on the old version goes through at once.
        var next = await store.PutAsync(container, "registry/state.json", Text("v2"), BlobCondition.IfETagMatches(before.ETag), null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(before.ETag, next.ETag);
        Assert.Equal("v2", await ReadTextAsync(store, container, "registry/state.json"));
    }

    [Fact]
    public async Task ListingWhileBlobsAreDeleted_DoesNotFail()
    {
        var store = NewStore();
        var container = NewContainer();
        await store.EnsureContainerAsync(container, CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            await store.PutAsync(container, $"d{i % 10}/b{i:D3}", Text("x"), BlobCondition.None, null, CancellationToken.None);
        }

        var deleter = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i += 2)
            {
                await store.DeleteAsync(container, $"d{i % 10}/b{i:D3}", BlobCondition.None, CancellationToken.None);
            }
        });
        var counts = new List<int>();
        while (!deleter.IsCompleted)
        {
            counts.Add(await store.ListAsync(container, null, CancellationToken.None).CountAsync());
        }

        await deleter;
        Assert.All(counts, c => Assert.InRange(c, 100, 200));
        Assert.Equal(100, await store.ListAsync(container, null, CancellationToken.None).CountAsync());
    }

    private Process StartIncrementer(string container, string name, int count) =>
        StartWorker("increment", _root, container, name, count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Process StartWorker(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in arguments.Prepend(typeof(Counter).Assembly.Location))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
