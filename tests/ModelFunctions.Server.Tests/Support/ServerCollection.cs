namespace ModelFunctions.Server.Tests.Support;

/// <summary>Test classes marked [Collection(ServerCollection.Name)] share one server on a folder store.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "Folder server";
}
