namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>
/// Data quality thresholds of a model (model.json <c>monitoring.dataQuality</c>). A rate breaches its limit when an
/// exact one-sided binomial test says it is above the limit (p below <see cref="FalseAlarmRate"/> shared, Bonferroni,
/// with the version's other test decisions), so a few missing values in a thin window do not fire.
/// </summary>
public sealed record DataQualitySettings
{
    /// <summary>Largest share of missing or non-finite values of an input feature. Default 0.05.</summary>
    public double MaxMissingRate { get; init; } = 0.05;

    /// <summary>Largest share of values outside the reference range (or categories). Default 0.1.</summary>
    public double MaxOutOfRangeRate { get; init; } = 0.1;

    /// <summary>
    /// Family-wise false-alarm rate of the rate tests, when each true rate is at its limit. Default 0.01; with the
    /// drift defaults the version's whole check stays at 0.01.
    /// </summary>
    public double FalseAlarmRate { get; init; } = 0.01;

    /// <summary>Fewest observations of a feature for a verdict. Default 100.</summary>
    public int MinimumSampleSize { get; init; } = 100;
}
