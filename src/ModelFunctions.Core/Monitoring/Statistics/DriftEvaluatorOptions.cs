namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Thresholds for <see cref="DriftEvaluator"/>. The defaults decide by test with a stated false-alarm rate: the
/// chi-squared homogeneity test for both kinds at a family-wise significance of 0.01, Bonferroni-corrected across the
/// decisions of a check, from 300 valid values (see Monitoring/README.md for why these figures).
/// </summary>
public sealed record DriftEvaluatorOptions
{
    /// <summary>Default family-wise false-alarm rate of the test-based policies.</summary>
    public const double DefaultFalseAlarmRate = 0.01;

    /// <summary>Default fewest valid values for a verdict.</summary>
    public const int DefaultMinimumSampleSize = 300;

    /// <summary>Numeric features: chi-squared homogeneity over the baseline's bins, p below 0.01 / decisions.</summary>
    public FeatureDriftPolicy Numeric { get; init; } = new(DriftMetric.ChiSquared, DefaultFalseAlarmRate);

    /// <summary>Categorical features: chi-squared homogeneity over the categories, p below 0.01 / decisions.</summary>
    public FeatureDriftPolicy Categorical { get; init; } = new(DriftMetric.ChiSquared, DefaultFalseAlarmRate);

    /// <summary>
    /// PSI from which the verdict is <see cref="DriftVerdict.Warning"/> when PSI decides (common band 0.1); the
    /// policy's threshold is then the alert level (0.25 in <see cref="PopulationStability"/>).
    /// </summary>
    public double PsiWarningThreshold { get; init; } = 0.1;

    /// <summary>Whether p-value metrics divide the significance level by the number of features (Alibi Detect's rule).</summary>
    public bool BonferroniCorrection { get; init; } = true;

    /// <summary>Fewest valid current values for a verdict other than <see cref="DriftVerdict.InsufficientData"/>.</summary>
    public int MinimumSampleSize { get; init; } = DefaultMinimumSampleSize;

    /// <summary>How KS p-values are computed.</summary>
    public KolmogorovSmirnovMethod KolmogorovSmirnovMethod { get; init; } = KolmogorovSmirnovMethod.Auto;

    /// <summary>Options with the KS test deciding for numeric features at p &lt; 0.05 (Evidently's small-reference default) and chi-squared for categorical ones.</summary>
    public static DriftEvaluatorOptions StatisticalTests { get; } = new()
    {
        Numeric = new FeatureDriftPolicy(DriftMetric.KolmogorovSmirnov, 0.05),
        Categorical = new FeatureDriftPolicy(DriftMetric.ChiSquared, 0.05),
    };

    /// <summary>
    /// Options with fixed distance thresholds, as Azure ML and Evidently default to for large references: normalized
    /// Wasserstein above 0.1 (numeric), Jensen-Shannon above 0.1 (categorical). Their false-alarm rate is not
    /// controlled: on a thin window two samples of one distribution are often 0.1 apart.
    /// </summary>
    public static DriftEvaluatorOptions FixedDistances { get; } = new()
    {
        Numeric = new FeatureDriftPolicy(DriftMetric.NormalizedWasserstein, 0.1),
        Categorical = new FeatureDriftPolicy(DriftMetric.JensenShannon, 0.1),
    };

    /// <summary>Options with PSI deciding for both kinds: warning at 0.1, drift at 0.25.</summary>
    public static DriftEvaluatorOptions PopulationStability { get; } = new()
    {
        Numeric = new FeatureDriftPolicy(DriftMetric.PopulationStabilityIndex, 0.25),
        Categorical = new FeatureDriftPolicy(DriftMetric.PopulationStabilityIndex, 0.25),
    };
}
