namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>One window start's figures (all instances merged).</summary>
/// <param name="Start">Window start.</param>
/// <param name="Requests">Requests.</param>
/// <param name="ServerErrors">Answered 5xx.</param>
/// <param name="ClientErrors">Answered 4xx.</param>
/// <param name="P95Ms">p95 latency, null without requests.</param>
public sealed record WindowPoint(DateTimeOffset Start, long Requests, long ServerErrors, long ClientErrors, double? P95Ms);
