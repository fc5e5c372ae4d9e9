namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>The custom event names sent to Application Insights (infra/modules/alerts.bicep queries them).</summary>
public static class AlertEventNames
{
    /// <summary>Drift of an input feature or an output.</summary>
    public const string Drift = "ModelFunctions.DriftAlert";

    /// <summary>Server or client error rate.</summary>
    public const string ErrorRate = "ModelFunctions.ErrorRateAlert";

    /// <summary>p95 latency above its SLO.</summary>
    public const string Latency = "ModelFunctions.LatencyAlert";

    /// <summary>Data quality (missing, non-finite, out of range).</summary>
    public const string DataQuality = "ModelFunctions.DataQualityAlert";

    /// <summary>A canary rolled back.</summary>
    public const string CanaryRollback = "ModelFunctions.CanaryRollback";

    /// <summary>A canary promoted.</summary>
    public const string CanaryPromotion = "ModelFunctions.CanaryPromotion";

    /// <summary>The event name of a category.</summary>
    public static string For(AlertCategory category) => category switch
    {
        AlertCategory.Drift => Drift,
        AlertCategory.ErrorRate => ErrorRate,
        AlertCategory.Latency => Latency,
        AlertCategory.DataQuality => DataQuality,
        AlertCategory.CanaryRollback => CanaryRollback,
        AlertCategory.CanaryPromotion => CanaryPromotion,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown alert category."),
    };
}
