namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Every drift and quality metric for one feature and window, and the verdict.
/// </summary>
public sealed record FeatureDriftReport
{
    /// <summary>Kind of the feature.</summary>
    public FeatureKind Kind { get; init; }

    /// <summary>Valid current values (finite numbers, or non-missing categories).</summary>
    public long SampleSize { get; init; }

    /// <summary>Share of current observations that were missing.</summary>
    public double MissingRate { get; init; }

    /// <summary>Share of current observations that were infinite (numeric only).</summary>
    public double NonFiniteRate { get; init; }

    /// <summary>Share of valid current values outside the reference range (numeric), or outside the reference categories (categorical).</summary>
    public double OutOfRangeRate { get; init; }

    /// <summary>The deciding metric.</summary>
    public DriftMetric DecisionMetric { get; init; }

    /// <summary>Its value; null when it could not be computed (no valid value).</summary>
    public double? DecisionValue { get; init; }

    /// <summary>The threshold applied, after Bonferroni correction for p-value metrics.</summary>
    public double Threshold { get; init; }

    /// <summary>Fewest valid values for a decision; below it the verdict is <see cref="DriftVerdict.InsufficientData"/>.</summary>
    public int MinimumSampleSize { get; init; }

    /// <summary>The verdict.</summary>
    public DriftVerdict Verdict { get; init; }

    /// <summary>Population Stability Index over the baseline's bins or categories.</summary>
    public double? PopulationStabilityIndex { get; init; }

    /// <summary>Jensen-Shannon distance (base 2) over the baseline's bins or categories.</summary>
    public double? JensenShannon { get; init; }

    /// <summary>Chebyshev distance between the reference and current proportions.</summary>
    public double? Chebyshev { get; init; }

    /// <summary>Wasserstein distance between the baseline sample and the window's reservoir (numeric).</summary>
    public double? Wasserstein { get; init; }

    /// <summary>Wasserstein distance over max(reference std, 0.001) (numeric).</summary>
    public double? NormalizedWasserstein { get; init; }

    /// <summary>Two-sample KS test of the baseline sample against the window's reservoir (numeric).</summary>
    public KolmogorovSmirnovResult? KolmogorovSmirnov { get; init; }

    /// <summary>
    /// Chi-squared homogeneity test of the current against the reference counts: over the baseline's bins with the
    /// outer bins open-ended (numeric), or over its categories plus "other" (categorical).
    /// </summary>
    public ChiSquaredResult? ChiSquared { get; init; }
}
