namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>
/// A transition sent to the sinks: an alert firing or resolving, or a canary decision.
/// </summary>
/// <param name="Name">Event name (<see cref="AlertEventNames"/>).</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Signal">Signal, e.g. <c>drift:petal_length</c>, <c>serverErrorRate</c>, <c>canary</c>.</param>
/// <param name="Metric">Metric compared, e.g. <c>normalizedWasserstein</c>, <c>rate</c>, <c>p95Ms</c>.</param>
/// <param name="Value">Its value.</param>
/// <param name="Threshold">The threshold it was compared with.</param>
/// <param name="State">firing, resolved, rolledBack or promoted.</param>
/// <param name="At">When the check saw it.</param>
/// <param name="Message">A sentence for people.</param>
public sealed record AlertEvent(
    string Name,
    string Model,
    int Version,
    string Signal,
    string Metric,
    double Value,
    double Threshold,
    string State,
    DateTimeOffset At,
    string Message);
