namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>One check of one signal of a model version.</summary>
/// <param name="Version">Model version.</param>
/// <param name="Signal">Signal name.</param>
/// <param name="Category">What it is about.</param>
/// <param name="Metric">Metric compared.</param>
/// <param name="Value">Its value (NaN when it could not be computed).</param>
/// <param name="Threshold">Threshold.</param>
/// <param name="Breached">True over the threshold, false within, null with too little data to tell (the state does not change).</param>
/// <param name="Detail">How it was decided, for people (the test, its p-value and level, the distances); null for a plain comparison.</param>
public sealed record SignalEvaluation(int Version, string Signal, AlertCategory Category, string Metric, double Value, double Threshold, bool? Breached, string? Detail = null);
