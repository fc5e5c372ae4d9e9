namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Decision metric and threshold for one kind of feature.
/// </summary>
/// <param name="Metric">The deciding metric.</param>
/// <param name="Threshold">
/// For distances and PSI, the value above which the feature drifted; for p-value metrics (KS, chi-squared), the
/// significance level before Bonferroni correction.
/// </param>
public sealed record FeatureDriftPolicy(DriftMetric Metric, double Threshold);
