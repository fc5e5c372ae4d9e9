namespace ModelFunctions.Core.Registry;

/// <summary>
/// Per-model dynamic batching settings from model.json.
/// </summary>
/// <param name="Enabled">Whether requests are batched; null leaves it to the server's default.</param>
/// <param name="MaxBatchSize">Largest batch (1 to 4096). Default 32.</param>
/// <param name="MaxQueueDelayMs">Longest a request waits for others to join its batch, in ms (0 to 1000). Default 2.</param>
public sealed record BatchingSettings(bool? Enabled = null, int MaxBatchSize = 32, int MaxQueueDelayMs = 2)
{
    /// <summary>The defaults.</summary>
    public static BatchingSettings Default { get; } = new();
}
