using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Storage;
using Xunit.Abstractions;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>Registration time of the sample model and of a ~100 MB model, on the folder store and on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Measurement")]
public sealed class RegistrationMeasurements(AzuriteFixture azurite, ITestOutputHelper output) : IDisposable
{
    private const long LargeBytes = 100L * 1024 * 1024;
    private readonly string _root = Directory.CreateTempSubdirectory("mf-registry-measure-").FullName;

    [Fact]
    public async Task Measure_RegistrationTime_SampleAnd100MbModel_FolderAndAzurite()
    {
        var large = Path.Combine(_root, "large.onnx");
        LargeModelFile.Write(large, LargeBytes);
        var largeSize = new FileInfo(large).Length;
        output.WriteLine($"large model: {largeSize / (1024.0 * 1024.0):F1} MiB");

        var stores = new (string Name, IBlobStore Store)[]
        {
            ("folder", new FileSystemBlobStore(Path.Combine(_root, "store"), NullLogger<FileSystemBlobStore>.Instance)),
            ("azurite", azurite.CreateStore()),
        };
        foreach (var (name, store) in stores)
        {
            using var h = new RegistryHarness(store);
            var model = RegistryHarness.UniqueModel("measure");
            var largeModel = RegistryHarness.UniqueModel("measure-large");

            await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
            await h.DropFileAsync(model, 1, ModelStoreLayout.ReferenceFileName, TestModels.Bytes("iris.reference.csv"));
            var iris = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
            Assert.Equal(RegistrationOutcome.Registered, iris.Outcome);
            Assert.True(iris.Manifest!.HasBaseline);

            var upload = Stopwatch.StartNew();
            await using (var content = File.OpenRead(large))
            {
                await h.Store.PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob(largeModel, 1), content, BlobCondition.None, null, CancellationToken.None);
            }

            upload.Stop();
            var big = await h.Registrar.RegisterAsync(largeModel, 1, CancellationToken.None);
            Assert.Equal(RegistrationOutcome.Registered, big.Outcome);
            Assert.Equal(VersionStatus.Ready, big.Manifest!.Status);
            Assert.Equal(largeSize, big.Manifest.SizeBytes);
            Assert.Equal(1, (await h.Registry.GetStateAsync(largeModel, CancellationToken.None)).Production);

            var duplicate = await h.Registrar.RegisterAsync(largeModel, 1, CancellationToken.None);
            Assert.Equal(RegistrationOutcome.AlreadyRegistered, duplicate.Outcome);

            output.WriteLine(
                $"{name}: iris (652 B + reference.csv) registered in {iris.Milliseconds:F0} ms (ORT load {iris.Manifest.LoadMilliseconds:F1} ms); "
                + $"100 MiB model uploaded in {upload.Elapsed.TotalMilliseconds:F0} ms, registered in {big.Milliseconds:F0} ms "
                + $"(ORT load {big.Manifest.LoadMilliseconds:F0} ms); duplicate delivery {duplicate.Milliseconds:F0} ms");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
