namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>Data quality thresholds of a model (model.json <c>monitoring.dataQuality</c>).</summary>
public sealed record DataQualitySettings
{
    /// <summary>Largest share of missing or non-finite values of an input feature. Default 0.05.</summary>
    public double MaxMissingRate { get; init; } = 0.05;

    /// <summary>Largest share of values outside the reference range (or categories). Default 0.1.</summary>
    public double MaxOutOfRangeRate { get; init; } = 0.1;

    /// <summary>Fewest observations of a feature for a verdict. Default 100.</summary>
    public int MinimumSampleSize { get; init; } = 100;
}
