namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Thresholds for <see cref="DriftEvaluator"/>; defaults follow Azure ML model monitoring and Evidently.
/// </summary>
public sealed record DriftEvaluatorOptions
{
    /// <summary>Numeric features: normalized Wasserstein distance above 0.1 (Azure ML's and Evidently's default).</summary>
    public FeatureDriftPolicy Numeric { get; init; } = new(DriftMetric.NormalizedWasserstein, 0.1);

    /// <summary>Categorical features: Jensen-Shannon distance above 0.1 (Azure ML's default).</summary>
    public FeatureDriftPolicy Categorical { get; init; } = new(DriftMetric.JensenShannon, 0.1);

    /// <summary>
    /// PSI from which the verdict is <see cref="DriftVerdict.Warning"/> when PSI decides (common band 0.1); the
    /// policy's threshold is then the alert level (0.25 in <see cref="PopulationStability"/>).
    /// </summary>
    public double PsiWarningThreshold { get; init; } = 0.1;

    /// <summary>Whether p-value metrics divide the significance level by the number of features (Alibi Detect's rule).</summary>
    public bool BonferroniCorrection { get; init; } = true;

    /// <summary>Fewest valid current values for a verdict other than <see cref="DriftVerdict.InsufficientData"/>.</summary>
    public int MinimumSampleSize { get; init; } = 100;

    /// <summary>How KS p-values are computed.</summary>
    public KolmogorovSmirnovMethod KolmogorovSmirnovMethod { get; init; } = KolmogorovSmirnovMethod.Auto;

    /// <summary>Options with the KS test deciding for numeric features at p &lt; 0.05 (Evidently's small-reference default) and chi-squared for categorical ones.</summary>
    public static DriftEvaluatorOptions StatisticalTests { get; } = new()
    {
        Numeric = new FeatureDriftPolicy(DriftMetric.KolmogorovSmirnov, 0.05),
        Categorical = new FeatureDriftPolicy(DriftMetric.ChiSquared, 0.05),
    };

    /// <summary>Options with PSI deciding for both kinds: warning at 0.1, drift at 0.25.</summary>
    public static DriftEvaluatorOptions PopulationStability { get; } = new()
    {
        Numeric = new FeatureDriftPolicy(DriftMetric.PopulationStabilityIndex, 0.25),
        Categorical = new FeatureDriftPolicy(DriftMetric.PopulationStabilityIndex, 0.25),
    };
}
