using ModelFunctions.Core.Monitoring.Alerts;

namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>
/// The result of a check run for one model: per served version the merged figures, per feature the drift
/// metrics and verdict, the alert states and recent events, and any canary decision. The latest is stored at
/// <c>{model}/report.json</c> in the monitoring container.
/// </summary>
public sealed record MonitoringReport
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>When the checks ran.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Which checks ran: drift, health or both.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>Production version when the checks ran.</summary>
    public int? Production { get; init; }

    /// <summary>Canary version when the checks ran (before any decision).</summary>
    public int? Canary { get; init; }

    /// <summary>Its traffic share.</summary>
    public int CanaryPercent { get; init; }

    /// <summary>Start of the lookback period.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>Per served version.</summary>
    public IReadOnlyList<VersionReport> Versions { get; init; } = [];

    /// <summary>Alert states after the run.</summary>
    public IReadOnlyList<AlertRecord> Alerts { get; init; } = [];

    /// <summary>Latest alert events (at most 50), oldest first.</summary>
    public IReadOnlyList<AlertEvent> RecentEvents { get; init; } = [];

    /// <summary>The canary decision of this run, if any: rolledBack, promoted or null.</summary>
    public string? CanaryDecision { get; init; }

    /// <summary>Problems that kept a part of the checks from running (e.g. malformed model.json).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
