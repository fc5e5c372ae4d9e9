namespace ModelFunctions.Core.Tests.Storage;

/// <summary>An Azurite of its own that keeps its blobs on disk, for tests that stop the service and start it again.</summary>
public sealed class PersistentAzuriteFixture : AzuriteFixture
{
    public PersistentAzuriteFixture()
        : base(persistent: true)
    {
    }
}
