using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>What the blob-triggered functions call: a drop whose version is still text.</summary>
public sealed class RegisterDropTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-drop-").FullName;

    [Fact]
    public async Task RegisterDrop_NumericVersion_RegistersAndPromotes()
    {
        using var h = new RegistryHarness(new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance));
        await h.DropAsync("iris", 3, TestModels.Bytes("iris.onnx"));

        var result = await h.Registrar.RegisterDropAsync("iris", "3", CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, result!.Outcome);
        Assert.Equal(3, (await h.Registry.GetStateAsync("iris", CancellationToken.None)).Production);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("03")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    public async Task RegisterDrop_VersionThatIsNotAPositiveInteger_IsIgnoredAndRecordsNothing(string version)
    {
        using var h = new RegistryHarness(new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance));

        var result = await h.Registrar.RegisterDropAsync("iris", version, CancellationToken.None);

        Assert.Null(result);
        var state = await h.Registry.GetStateAsync("iris", CancellationToken.None);
        Assert.Null(state.Production);
        Assert.Empty(state.History);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
