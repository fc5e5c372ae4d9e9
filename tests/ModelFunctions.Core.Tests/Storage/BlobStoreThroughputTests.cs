using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;
using Xunit.Abstractions;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>
/// Prints 100 MB upload and download times for both stores. Measures only; runs when MODELFUNCTIONS_STORE_BENCH=1
/// (for example: MODELFUNCTIONS_STORE_BENCH=1 dotnet test --filter BlobStoreThroughput --logger "console;verbosity=detailed").
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobStoreThroughputTests
{
    private const int Size = 100 * 1000 * 1000;
    private readonly AzuriteFixture _azurite;
    private readonly ITestOutputHelper _output;

    public BlobStoreThroughputTests(AzuriteFixture azurite, ITestOutputHelper output)
    {
        _azurite = azurite;
        _output = output;
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task HundredMegabytes_UploadAndDownload_Timings()
    {
        if (Environment.GetEnvironmentVariable("MODELFUNCTIONS_STORE_BENCH") != "1")
        {
            _output.WriteLine("Set MODELFUNCTIONS_STORE_BENCH=1 to measure.");
            return;
        }

        var work = Path.Combine(Path.GetTempPath(), "mf-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var source = Path.Combine(work, "source.bin");
            var bytes = new byte[Size];
            new Random(1).NextBytes(bytes);
            await File.WriteAllBytesAsync(source, bytes);
            await MeasureAsync("folder", new FileSystemBlobStore(Path.Combine(work, "store"), NullLogger<FileSystemBlobStore>.Instance), source, work);
            await MeasureAsync("azurite", _azurite.CreateStore(new AzureBlobStoreOptions()), source, work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task MeasureAsync(string label, IBlobStore store, string source, string work)
    {
        await store.EnsureContainerAsync("bench", CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        await using (var input = File.OpenRead(source))
        {
            await store.PutAsync("bench", "model.onnx", input, BlobCondition.None, null, CancellationToken.None);
        }

        var upload = stopwatch.Elapsed;
        stopwatch.Restart();
        var item = await store.DownloadToFileAsync("bench", "model.onnx", Path.Combine(work, label + ".bin"), CancellationToken.None);
        var download = stopwatch.Elapsed;

        Assert.Equal(Size, item!.Length);
        _output.WriteLine(
            $"{label}: upload {upload.TotalSeconds:0.00} s ({Size / 1e6 / upload.TotalSeconds:0} MB/s), download {download.TotalSeconds:0.00} s ({Size / 1e6 / download.TotalSeconds:0} MB/s)");
    }
}
