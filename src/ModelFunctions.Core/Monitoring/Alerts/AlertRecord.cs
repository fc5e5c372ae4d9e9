namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>The stored state of one (model, version, signal).</summary>
public sealed record AlertRecord
{
    /// <summary>Model version.</summary>
    public int Version { get; init; }

    /// <summary>Signal name.</summary>
    public required string Signal { get; init; }

    /// <summary>What the signal is about.</summary>
    public AlertCategory Category { get; init; }

    /// <summary>Current state.</summary>
    public AlertState State { get; init; }

    /// <summary>Metric of the last evaluation.</summary>
    public string Metric { get; init; } = string.Empty;

    /// <summary>Value of the last evaluation.</summary>
    public double Value { get; init; }

    /// <summary>Threshold of the last evaluation.</summary>
    public double Threshold { get; init; }

    /// <summary>How the last evaluation was decided (test, p-value, level, distances), when the check says.</summary>
    public string? Detail { get; init; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>When a firing event was last sent, or null.</summary>
    public DateTimeOffset? LastRaisedAt { get; init; }

    /// <summary>When the signal was last evaluated.</summary>
    public DateTimeOffset LastEvaluatedAt { get; init; }
}
