using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>Drift thresholds of a model (model.json <c>monitoring.drift</c>).</summary>
public sealed record DriftSettings
{
    /// <summary>
    /// Decision metric and threshold of numeric features. Default chi-squared over the baseline's bins at a
    /// family-wise false-alarm rate of 0.01. For test metrics the threshold is that rate, shared (Bonferroni) by every
    /// test decision of the version in one check; for distances it is the distance above which the feature drifted.
    /// </summary>
    public FeatureDriftPolicy Numeric { get; init; } = new(DriftMetric.ChiSquared, DriftEvaluatorOptions.DefaultFalseAlarmRate);

    /// <summary>Decision metric and threshold of categorical features. Default chi-squared at 0.01, as for numeric ones.</summary>
    public FeatureDriftPolicy Categorical { get; init; } = new(DriftMetric.ChiSquared, DriftEvaluatorOptions.DefaultFalseAlarmRate);

    /// <summary>PSI warning band when PSI decides. Default 0.1.</summary>
    public double PsiWarningThreshold { get; init; } = 0.1;

    /// <summary>Bonferroni correction of test metrics across the version's test decisions. Default true.</summary>
    public bool BonferroniCorrection { get; init; } = true;

    /// <summary>
    /// Fewest valid values in the merged windows for a verdict. Default 300: from there a half-standard-deviation
    /// shift of one feature of an 8-feature model is caught with probability 0.999 at the default false-alarm rate.
    /// </summary>
    public int MinimumSampleSize { get; init; } = DriftEvaluatorOptions.DefaultMinimumSampleSize;

    /// <summary>
    /// Share of the decided input features that must have drifted for the dataset-level signal <c>datasetDrift</c>
    /// to fire. Default 0.5 (Evidently's drift share); above 1 turns it off.
    /// </summary>
    public double DatasetDriftShare { get; init; } = 0.5;

    /// <summary>
    /// Quantile bins of the numeric baselines computed from reference.csv at registration (2 to 1000). Default 10.
    /// Baselines learned from traffic use the default.
    /// </summary>
    public int Bins { get; init; } = FeatureBaseline.DefaultBins;

    /// <summary>Whether outputs are checked for drift (prediction drift). Default true.</summary>
    public bool Outputs { get; init; } = true;

    /// <summary>The evaluator options these settings stand for.</summary>
    public DriftEvaluatorOptions ToEvaluatorOptions() => new()
    {
        Numeric = Numeric.WithDefaultThreshold(),
        Categorical = Categorical.WithDefaultThreshold(),
        PsiWarningThreshold = PsiWarningThreshold,
        BonferroniCorrection = BonferroniCorrection,
        MinimumSampleSize = MinimumSampleSize,
    };
}
