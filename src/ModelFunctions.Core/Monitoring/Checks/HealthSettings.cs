namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>Error and latency thresholds of a model (model.json <c>monitoring.health</c>).</summary>
public sealed record HealthSettings
{
    /// <summary>Largest share of requests answered 5xx (503 included). Default 0.05.</summary>
    public double MaxServerErrorRate { get; init; } = 0.05;

    /// <summary>Largest share of requests answered 4xx. Default 0.25.</summary>
    public double MaxClientErrorRate { get; init; } = 0.25;

    /// <summary>p95 latency SLO in milliseconds. Default 1000.</summary>
    public double LatencyP95Ms { get; init; } = 1000;

    /// <summary>Fewest requests in the merged windows for a verdict. Default 20.</summary>
    public int MinimumRequests { get; init; } = 20;
}
