using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>The registration contract on the local folder store.</summary>
public sealed class FolderRegistrarTests : RegistrarContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-registry-store-").FullName;

    private protected override IBlobStore CreateStore() =>
        new FileSystemBlobStore(Path.Combine(_root, Guid.NewGuid().ToString("N")), NullLogger<FileSystemBlobStore>.Instance);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
