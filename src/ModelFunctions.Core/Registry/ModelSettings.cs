using System.Text.Json;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Per-model settings read from <see cref="ModelStoreLayout.SettingsBlob"/> (model.json). Every field is optional;
/// unknown fields are ignored. A malformed file makes new registrations of the model fail (with a reason naming
/// the field) until it is fixed; what is already served is not touched.
/// </summary>
/// <param name="Policy">Promotion policy. Default <see cref="PromotionPolicy.Auto"/>.</param>
/// <param name="CanaryPercent">Traffic share of a new canary version, 1 to 99. Default 10.</param>
/// <param name="Batching">Dynamic batching. Default: server default, 32, 2 ms.</param>
/// <param name="RejectNonFinite">Whether requests with NaN or infinite inputs are refused. Default false.</param>
/// <param name="Monitoring">The "monitoring" object as written, for the monitoring settings; null when absent.</param>
public sealed record ModelSettings(
    PromotionPolicy Policy,
    int CanaryPercent,
    BatchingSettings Batching,
    bool RejectNonFinite,
    JsonElement? Monitoring)
{
    /// <summary>The settings of a model without model.json.</summary>
    public static ModelSettings Default { get; } = new(PromotionPolicy.Auto, 10, BatchingSettings.Default, false, null);
}
