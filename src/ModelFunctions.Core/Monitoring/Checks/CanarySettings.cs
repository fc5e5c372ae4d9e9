namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>
/// When a canary is rolled back or promoted (model.json <c>monitoring.canary</c>); applies to models whose
/// policy is <c>canary</c>.
/// </summary>
public sealed record CanarySettings
{
    /// <summary>Whether the checks decide at all. Default true.</summary>
    public bool Automatic { get; init; } = true;

    /// <summary>Server error rate of the canary that rolls it back. Default 0.05.</summary>
    public double MaxServerErrorRate { get; init; } = 0.05;

    /// <summary>p95 latency SLO of the canary in milliseconds. Default 1000.</summary>
    public double LatencyP95Ms { get; init; } = 1000;

    /// <summary>Fewest canary requests before a rollback decision. Default 20.</summary>
    public int MinimumRequests { get; init; } = 20;

    /// <summary>Healthy canary requests (in the lookback) needed for promotion. Default 500.</summary>
    public int PromoteAfterRequests { get; init; } = 500;

    /// <summary>Minutes the canary must have been serving before promotion. Default 30.</summary>
    public double PromoteAfterMinutes { get; init; } = 30;
}
