namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Metric that decides whether a feature drifted.
/// </summary>
public enum DriftMetric
{
    /// <summary>Wasserstein distance over max(reference std, 0.001); numeric only; drift when above the threshold.</summary>
    NormalizedWasserstein = 0,

    /// <summary>Jensen-Shannon distance (base 2) over bins or categories; drift when above the threshold.</summary>
    JensenShannon = 1,

    /// <summary>Population Stability Index; warning above the warning band, drift above the threshold.</summary>
    PopulationStabilityIndex = 2,

    /// <summary>Two-sample KS p-value; numeric only; drift when below the (Bonferroni-corrected) significance level.</summary>
    KolmogorovSmirnov = 3,

    /// <summary>
    /// Pearson chi-squared homogeneity p-value of the window's against the reference's counts, over bins (numeric) or
    /// categories; drift when below the (Bonferroni-corrected) false-alarm rate. The default for both kinds.
    /// </summary>
    ChiSquared = 4,

    /// <summary>Chebyshev distance between proportion vectors; drift when above the threshold.</summary>
    Chebyshev = 5,
}
