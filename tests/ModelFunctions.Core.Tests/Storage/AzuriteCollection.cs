namespace ModelFunctions.Core.Tests.Storage;

/// <summary>Test classes marked [Collection(AzuriteCollection.Name)] share one Azurite process.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "Azurite";
}
