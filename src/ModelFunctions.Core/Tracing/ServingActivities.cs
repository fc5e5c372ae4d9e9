using System.Diagnostics;

namespace ModelFunctions.Core.Tracing;

/// <summary>
/// The <see cref="ActivitySource"/> of the serving path: one <c>modelfunctions.infer</c> span per inference request
/// (a child of the HTTP request's span, so a W3C <c>traceparent</c> a client sends carries through) with a
/// <c>modelfunctions.run</c> child around the model's run (batching queue included), tagged with model, version,
/// rows and outcome; and one span per registration and per monitoring run (roots when a schedule or a blob trigger
/// starts them). Without a listener (no tracing configured) starting a span costs a null check.
/// </summary>
public static class ServingActivities
{
    /// <summary>Name of the source, to subscribe to (OpenTelemetry's <c>AddSource</c>).</summary>
    public const string SourceName = "ModelFunctions";

    // An ActivitySource holds no state of ours: listeners attach to it from outside, as the runtime's sources do.
    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Span of one inference request.</summary>
    public const string Infer = "modelfunctions.infer";

    /// <summary>Span of one model run (queued for a batch, then executed).</summary>
    public const string Run = "modelfunctions.run";

    /// <summary>Span of one registration of a dropped model file (validation, baseline, manifest, policy).</summary>
    public const string Register = "modelfunctions.register";

    /// <summary>Span of one monitoring run over every model (drift, data quality, health, alerts, canary decisions).</summary>
    public const string Monitoring = "modelfunctions.monitoring";
}
