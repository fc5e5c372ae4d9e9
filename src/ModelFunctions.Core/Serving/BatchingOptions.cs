using System.ComponentModel.DataAnnotations;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Dynamic batching: concurrent requests to one model version merged into one run along the first dimension.
/// Server-wide defaults, bound from <c>ModelFunctions:Batching</c>; a model's <c>model.json</c> may override them.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:Batching";

    /// <summary>
    /// Whether batching is on for models that allow it. Default false: whether a model's rows are independent cannot be
    /// read from its signature, so merging is opt-in (per model in model.json, or here for the server).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Most rows in one merged run. Default 32.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>Longest a request waits for others to join its batch, in milliseconds. Default 2.</summary>
    [Range(0, 1000)]
    public double MaxQueueDelayMs { get; set; } = 2;

    /// <summary>Most requests waiting per model version before new ones are refused with 503. Default 1024.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueueLength { get; set; } = 1024;
}
