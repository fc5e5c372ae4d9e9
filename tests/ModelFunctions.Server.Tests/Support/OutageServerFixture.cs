using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>
/// The server over an Azurite of its own that keeps its blobs on disk, so tests can stop the service and start it
/// again on the same port; the store client retries for about five seconds, so a restart is ridden out and a longer
/// outage reaches the API.
/// </summary>
public sealed class OutageServerFixture : ServerFixture
{
    /// <summary>The emulator behind the server's store.</summary>
    public PersistentAzuriteFixture Azurite { get; } = new();

    protected override string StoreSetting => Azurite.ConnectionString;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("ModelFunctions:StoreClient:MaxRetries", "3"),
        new("ModelFunctions:StoreClient:RetryDelay", "00:00:01"),
        new("ModelFunctions:StoreClient:MaxRetryDelay", "00:00:02"),
        new("ModelFunctions:StoreClient:NetworkTimeout", "00:00:05"),
    ];

    public override async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
