namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Decision metric and threshold for one kind of feature.
/// </summary>
/// <param name="Metric">The deciding metric.</param>
/// <param name="Threshold">
/// For distances and PSI, the value above which the feature drifted; for test metrics (KS, chi-squared), the
/// family-wise false-alarm rate shared by the check's test decisions. NaN (model.json without a threshold) stands for
/// the metric's default (<see cref="DefaultThreshold"/>).
/// </param>
public sealed record FeatureDriftPolicy(DriftMetric Metric, double Threshold = double.NaN)
{
    /// <summary>
    /// The threshold used when none is given: 0.01 for the tests (the default false-alarm rate), 0.25 for PSI, 0.1
    /// for the distances (Azure ML's and Evidently's).
    /// </summary>
    /// <param name="metric">The metric.</param>
    public static double DefaultThreshold(DriftMetric metric) => metric switch
    {
        DriftMetric.ChiSquared or DriftMetric.KolmogorovSmirnov => DriftEvaluatorOptions.DefaultFalseAlarmRate,
        DriftMetric.PopulationStabilityIndex => 0.25,
        _ => 0.1,
    };

    /// <summary>This policy with its threshold filled in when none was given.</summary>
    public FeatureDriftPolicy WithDefaultThreshold() => double.IsNaN(Threshold) ? this with { Threshold = DefaultThreshold(Metric) } : this;
}
