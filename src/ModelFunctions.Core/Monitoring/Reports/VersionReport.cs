using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Capture;

namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>What the merged windows of one version say.</summary>
public sealed record VersionReport
{
    /// <summary>Version number.</summary>
    public int Version { get; init; }

    /// <summary>production or canary.</summary>
    public required string Role { get; init; }

    /// <summary>Single-instance windows merged.</summary>
    public int Windows { get; init; }

    /// <summary>
    /// True when the lookback held no window of this version: the figures are the last evidence, from the run at
    /// <see cref="EvidenceFrom"/>, and no alert state changed.
    /// </summary>
    public bool WindowEmpty { get; init; }

    /// <summary>When the evidence shown was computed, if it is carried from an earlier run; null for this run's.</summary>
    public DateTimeOffset? EvidenceFrom { get; init; }

    /// <summary>Instances that contributed.</summary>
    public IReadOnlyList<string> Instances { get; init; } = [];

    /// <summary>Requests by outcome.</summary>
    public RequestCounts Requests { get; init; } = new();

    /// <summary>Rows of the successful requests: seen, captured, left out by sampling, dropped while the baselines loaded.</summary>
    public RowCounts Rows { get; init; } = new();

    /// <summary>Share answered 5xx (503 included); null without requests.</summary>
    public double? ServerErrorRate { get; init; }

    /// <summary>Share answered 4xx; null without requests.</summary>
    public double? ClientErrorRate { get; init; }

    /// <summary>p95 latency in milliseconds; null without requests.</summary>
    public double? P95Ms { get; init; }

    /// <summary>Where the input baseline came from: reference, learned or none.</summary>
    public string BaselineSource { get; init; } = "none";

    /// <summary>Every signal evaluated for this version in this run.</summary>
    public IReadOnlyList<SignalEvaluation> Signals { get; init; } = [];

    /// <summary>Per input feature, then per output.</summary>
    public IReadOnlyList<FeatureReport> Features { get; init; } = [];

    /// <summary>Share of the decided input features that drifted; null while none could be decided.</summary>
    public DatasetDriftReport? DatasetDrift { get; init; }

    /// <summary>Test decisions (drift tests and data-quality rates with enough data) that shared the false-alarm budget.</summary>
    public int TestDecisions { get; init; }

    /// <summary>Requests, errors and latency per window start, oldest first.</summary>
    public IReadOnlyList<WindowPoint> Series { get; init; } = [];
}
