namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>
/// Alert states and recent events of a model, stored at <c>{model}/alerts.json</c> in the monitoring container
/// and written under its ETag, so instances share it and it survives restarts.
/// </summary>
public sealed record AlertDocument
{
    /// <summary>How many events the history keeps.</summary>
    public const int MaxHistory = 200;

    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>One record per (version, signal) ever evaluated with enough data.</summary>
    public List<AlertRecord> Alerts { get; init; } = [];

    /// <summary>Events raised, oldest first, at most <see cref="MaxHistory"/>.</summary>
    public List<AlertEvent> History { get; init; } = [];

    /// <summary>Appends events, dropping the oldest past <see cref="MaxHistory"/>.</summary>
    public void Append(IEnumerable<AlertEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        History.AddRange(events);
        if (History.Count > MaxHistory)
        {
            History.RemoveRange(0, History.Count - MaxHistory);
        }
    }
}
