using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>Drift thresholds of a model (model.json <c>monitoring.drift</c>).</summary>
public sealed record DriftSettings
{
    /// <summary>Decision metric and threshold of numeric features. Default normalized Wasserstein 0.1.</summary>
    public FeatureDriftPolicy Numeric { get; init; } = new(DriftMetric.NormalizedWasserstein, 0.1);

    /// <summary>Decision metric and threshold of categorical features. Default Jensen-Shannon 0.1.</summary>
    public FeatureDriftPolicy Categorical { get; init; } = new(DriftMetric.JensenShannon, 0.1);

    /// <summary>PSI warning band when PSI decides. Default 0.1.</summary>
    public double PsiWarningThreshold { get; init; } = 0.1;

    /// <summary>Bonferroni correction of p-value metrics across features. Default true.</summary>
    public bool BonferroniCorrection { get; init; } = true;

    /// <summary>Fewest valid values in the merged windows for a verdict. Default 100.</summary>
    public int MinimumSampleSize { get; init; } = 100;

    /// <summary>Whether outputs are checked for drift (prediction drift). Default true.</summary>
    public bool Outputs { get; init; } = true;

    /// <summary>The evaluator options these settings stand for.</summary>
    public DriftEvaluatorOptions ToEvaluatorOptions() => new()
    {
        Numeric = Numeric,
        Categorical = Categorical,
        PsiWarningThreshold = PsiWarningThreshold,
        BonferroniCorrection = BonferroniCorrection,
        MinimumSampleSize = MinimumSampleSize,
    };
}
