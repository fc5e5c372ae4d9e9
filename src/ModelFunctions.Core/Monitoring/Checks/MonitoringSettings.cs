using System.Text.Json;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>
/// A model's monitoring thresholds: model.json's <c>monitoring</c> object (schema in Monitoring/README.md).
/// Every field is optional; the defaults follow Azure ML, Evidently and Alibi Detect.
/// </summary>
public sealed record MonitoringSettings
{
    /// <summary>How far back windows are merged, in minutes; null for the server's <see cref="MonitoringOptions.Lookback"/>.</summary>
    public double? LookbackMinutes { get; init; }

    /// <summary>Least minutes between two firing events of one signal. Default 60.</summary>
    public double CooldownMinutes { get; init; } = 60;

    /// <summary>Drift thresholds.</summary>
    public DriftSettings Drift { get; init; } = new();

    /// <summary>Data quality thresholds.</summary>
    public DataQualitySettings DataQuality { get; init; } = new();

    /// <summary>Error and latency thresholds.</summary>
    public HealthSettings Health { get; init; } = new();

    /// <summary>Automatic canary decisions (models under the canary policy).</summary>
    public CanarySettings Canary { get; init; } = new();

    /// <summary>The settings of a model whose model.json has no <c>monitoring</c> object.</summary>
    public static MonitoringSettings Default { get; } = new();

    /// <summary>Reads the <c>monitoring</c> object of model.json.</summary>
    /// <param name="monitoring">The object as written, or null for the defaults.</param>
    /// <exception cref="RegistryException">Invalid when the object does not match the schema.</exception>
    public static MonitoringSettings Parse(JsonElement? monitoring)
    {
        if (monitoring is not { ValueKind: JsonValueKind.Object } element)
        {
            return Default;
        }

        MonitoringSettings settings;
        try
        {
            settings = element.Deserialize<MonitoringSettings>(RegistryJson.Options) ?? Default;
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"model.json monitoring: {ex.Message}");
        }

        try
        {
            _ = new DriftEvaluator(settings.Drift.ToEvaluatorOptions());
        }
        catch (ArgumentException ex)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"model.json monitoring.drift: {ex.Message}");
        }

        if (!(settings.Drift.DatasetDriftShare >= 0) || double.IsInfinity(settings.Drift.DatasetDriftShare))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "model.json monitoring.drift.datasetDriftShare: a share, 0 or more (above 1 turns the signal off).");
        }

        if (settings.Drift.Bins is < 2 or > 1000)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "model.json monitoring.drift.bins: 2 to 1000 quantile bins.");
        }

        var quality = settings.DataQuality;
        foreach (var (name, rate) in new[] { ("maxMissingRate", quality.MaxMissingRate), ("maxOutOfRangeRate", quality.MaxOutOfRangeRate) })
        {
            if (!(rate is >= 0 and <= 1))
            {
                throw new RegistryException(RegistryErrorKind.Invalid, $"model.json monitoring.dataQuality.{name}: a rate between 0 and 1.");
            }
        }

        if (!(quality.FalseAlarmRate is > 0 and <= 1))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "model.json monitoring.dataQuality.falseAlarmRate: a rate above 0 and at most 1.");
        }

        if (quality.MinimumSampleSize < 0)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "model.json monitoring.dataQuality.minimumSampleSize: 0 or more.");
        }

        return settings;
    }
}
