namespace ModelFunctions.Server.Tests.Support;

/// <summary>The server with dynamic batching on for every model (server-wide setting), on Kestrel.</summary>
public sealed class BatchingServerFixture : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("ModelFunctions:Batching:Enabled", "true"),
        new("ModelFunctions:Batching:MaxBatchSize", "64"),
        new("ModelFunctions:Batching:MaxQueueDelayMs", "5"),
    ];
}
