namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>What a signal or event is about; decides the Application Insights event name.</summary>
public enum AlertCategory
{
    /// <summary>Input or prediction drift: <c>ModelFunctions.DriftAlert</c>.</summary>
    Drift,

    /// <summary>Server or client error rate: <c>ModelFunctions.ErrorRateAlert</c>.</summary>
    ErrorRate,

    /// <summary>p95 latency against its SLO: <c>ModelFunctions.LatencyAlert</c>.</summary>
    Latency,

    /// <summary>Missing, non-finite or out-of-range rate: <c>ModelFunctions.DataQualityAlert</c>.</summary>
    DataQuality,

    /// <summary>A canary was rolled back: <c>ModelFunctions.CanaryRollback</c>.</summary>
    CanaryRollback,

    /// <summary>A canary was promoted: <c>ModelFunctions.CanaryPromotion</c>.</summary>
    CanaryPromotion,
}
