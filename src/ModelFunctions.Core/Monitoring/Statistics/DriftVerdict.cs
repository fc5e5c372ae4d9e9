namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Outcome of a drift evaluation for one feature.
/// </summary>
public enum DriftVerdict
{
    /// <summary>Fewer valid current values than the minimum sample size; metrics are informative only.</summary>
    InsufficientData = 0,

    /// <summary>The decision metric is within its threshold.</summary>
    NoDrift = 1,

    /// <summary>PSI between the warning and the alert thresholds.</summary>
    Warning = 2,

    /// <summary>The decision metric crossed its threshold.</summary>
    Drift = 3,
}
