using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>One feature's drift and quality over the lookback, with both histograms for drawing.</summary>
public sealed record FeatureReport
{
    /// <summary>Feature name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether it is an output (prediction drift).</summary>
    public bool IsOutput { get; init; }

    /// <summary>reference, learned, learning (see <see cref="Learning"/>), or none (the window does not match the baseline).</summary>
    public string Baseline { get; init; } = "none";

    /// <summary>Observations in the merged windows (missing included).</summary>
    public long Count { get; init; }

    /// <summary>While the feature learns its baseline from traffic: values collected and needed; null otherwise.</summary>
    public LearningProgress? Learning { get; init; }

    /// <summary>Drift metrics and verdict; null without a matching baseline.</summary>
    public FeatureDriftReport? Drift { get; init; }

    /// <summary>Bucket labels: numeric bins (underflow and overflow first and last) or categories then "other".</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Reference counts per bucket.</summary>
    public IReadOnlyList<double> ReferenceCounts { get; init; } = [];

    /// <summary>Current counts per bucket.</summary>
    public IReadOnlyList<double> CurrentCounts { get; init; } = [];
}
