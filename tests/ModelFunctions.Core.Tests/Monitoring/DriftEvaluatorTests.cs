using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class DriftEvaluatorTests
{
    [Fact]
    public void SameDistribution_NoDriftWithDefaults()
    {
        var baseline = FeatureBaseline.FromSample(Samples.BigA);
        var window = NumericFeatureWindow.ForBaseline(baseline, new Random(1));
        window.AddRange(Samples.BigA);

        var report = new DriftEvaluator().Evaluate(baseline, window);

        Assert.Equal(DriftVerdict.NoDrift, report.Verdict);
        Assert.Equal(DriftMetric.NormalizedWasserstein, report.DecisionMetric);
        Assert.Equal(0.1, report.Threshold);
        Assert.Equal(0.0, report.NormalizedWasserstein!.Value, 12);
        Assert.Equal(0.0, report.PopulationStabilityIndex!.Value, 12);
        Assert.Equal(1.0, report.KolmogorovSmirnov!.PValue);
        Assert.Equal(0.0, report.OutOfRangeRate);
    }

    [Fact]
    public void ShiftedDistribution_DriftsAndReportsOutOfRange()
    {
        var baseline = FeatureBaseline.FromSample(Samples.BigA);
        var window = NumericFeatureWindow.ForBaseline(baseline, new Random(2));
        foreach (var value in Samples.BigA)
        {
            window.Add(value + 0.5);
        }

        window.Add(double.NaN);
        var report = new DriftEvaluator().Evaluate(baseline, window);

        Assert.Equal(DriftVerdict.Drift, report.Verdict);

        // A shift by 0.5 moves the empirical distributions apart by exactly 0.5 in Wasserstein distance.
        Approx.Relative(0.5, report.Wasserstein!.Value, 1e-9);
        Approx.Relative(0.5 / 0.28778429643017417, report.NormalizedWasserstein!.Value, 1e-9);
        Approx.Absolute(0.5, report.OutOfRangeRate, 0.01);
        Approx.Relative(1.0 / 301, report.MissingRate, 1e-12);
        Assert.True(report.PopulationStabilityIndex > 0.25);
    }

    [Fact]
    public void FewValues_AreInsufficientData()
    {
        var baseline = FeatureBaseline.FromSample(Samples.BigA);
        var window = NumericFeatureWindow.ForBaseline(baseline, new Random(3));
        window.AddRange(Samples.BigA.AsSpan(0, 99));

        var report = new DriftEvaluator().Evaluate(baseline, window);
        var empty = new DriftEvaluator().Evaluate(baseline, NumericFeatureWindow.ForBaseline(baseline, new Random(4)));

        Assert.Equal(DriftVerdict.InsufficientData, report.Verdict);
        Assert.NotNull(report.DecisionValue);
        Assert.Equal(DriftVerdict.InsufficientData, empty.Verdict);
        Assert.Null(empty.DecisionValue);
    }

    [Fact]
    public void KolmogorovSmirnovDecision_AppliesBonferroni()
    {
        // stats.ks_2samp(BIG_A, BIG_B) -> (0.13733333333333334, 0.010525912205286722): both samples fit whole.
        var baseline = FeatureBaseline.FromSample(Samples.BigA);
        var window = NumericFeatureWindow.ForBaseline(baseline, new Random(5));
        window.AddRange(Samples.BigB);
        var evaluator = new DriftEvaluator(DriftEvaluatorOptions.StatisticalTests);

        var alone = evaluator.Evaluate(baseline, window);
        var amongTen = evaluator.Evaluate(baseline, window, featureCount: 10);

        Approx.Relative(0.010525912205286722, alone.DecisionValue!.Value, 1e-9);
        Assert.Equal(DriftVerdict.Drift, alone.Verdict);
        Assert.Equal(0.005, amongTen.Threshold, 15);
        Assert.Equal(DriftVerdict.NoDrift, amongTen.Verdict);
    }

    [Fact]
    public void Categorical_MetricsMatchScipy()
    {
        var baseline = FeatureBaseline.FromCategories(Repeat("a", 50).Concat(Repeat("b", 30)).Concat(Repeat("c", 20)));
        var window = CategoricalFeatureWindow.ForBaseline(baseline);
        foreach (var value in Repeat("a", 40).Concat(Repeat("b", 35)).Concat(Repeat("c", 25)))
        {
            window.Add(value);
        }

        var report = new DriftEvaluator(DriftEvaluatorOptions.StatisticalTests).Evaluate(baseline, window);

        // stats.chisquare([40, 35, 25], np.array([50, 30, 20]) / 100 * 100) -> (4.083333333333334, 0.12981217685543797)
        Approx.Relative(4.083333333333334, report.ChiSquared!.Statistic, 1e-12);
        Approx.Relative(0.12981217685543797, report.ChiSquared.PValue, 1e-10);
        Assert.Equal(2, report.ChiSquared.DegreesOfFreedom);

        // distance.jensenshannon([50, 30, 20, 0], [40, 35, 25, 0], base=2) -> 0.08609435336652073
        Approx.Relative(0.08609435336652073, report.JensenShannon!.Value, 1e-12);
        Approx.Relative(0.1, report.Chebyshev!.Value, 1e-12);
        Assert.Equal(DriftVerdict.NoDrift, report.Verdict);
        Assert.Equal(DriftVerdict.NoDrift, new DriftEvaluator().Evaluate(baseline, window).Verdict);
    }

    [Fact]
    public void Categorical_NewCategoryDriftsUnderChiSquared()
    {
        var baseline = FeatureBaseline.FromCategories(Repeat("a", 50).Concat(Repeat("b", 50)));
        var window = CategoricalFeatureWindow.ForBaseline(baseline);
        foreach (var value in Repeat("a", 50).Concat(Repeat("b", 49)).Append("new"))
        {
            window.Add(value);
        }

        var report = new DriftEvaluator(DriftEvaluatorOptions.StatisticalTests).Evaluate(baseline, window);

        Assert.Equal(0.0, report.ChiSquared!.PValue);
        Assert.Equal(0.01, report.OutOfRangeRate, 15);
        Assert.Equal(DriftVerdict.Drift, report.Verdict);
    }

    [Fact]
    public void PsiDecision_HasWarningBand()
    {
        var baseline = FeatureBaseline.FromCategories(Repeat("x", 50).Concat(Repeat("y", 50)));
        var window = CategoricalFeatureWindow.ForBaseline(baseline);
        foreach (var value in Repeat("x", 30).Concat(Repeat("y", 70)))
        {
            window.Add(value);
        }

        var psi = new DriftEvaluator(DriftEvaluatorOptions.PopulationStability).Evaluate(baseline, window);
        var js = new DriftEvaluator().Evaluate(baseline, window);

        // psi([50, 50], [30, 70]) -> 0.16945957207744072: between the 0.1 warning and the 0.25 alert.
        Approx.Relative(0.16945957207744072, psi.DecisionValue!.Value, 1e-12);
        Assert.Equal(DriftVerdict.Warning, psi.Verdict);

        // distance.jensenshannon([50, 50], [30, 70], base=2) -> 0.17408372939284805
        Approx.Relative(0.17408372939284805, js.DecisionValue!.Value, 1e-12);
        Assert.Equal(DriftVerdict.Drift, js.Verdict);
    }

    [Fact]
    public void MetricsThatDoNotFitTheKind_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new DriftEvaluator(new DriftEvaluatorOptions
        {
            Categorical = new FeatureDriftPolicy(DriftMetric.KolmogorovSmirnov, 0.05),
        }));
        Assert.Throws<ArgumentException>(() => new DriftEvaluator(new DriftEvaluatorOptions
        {
            Numeric = new FeatureDriftPolicy(DriftMetric.ChiSquared, 0.05),
        }));
    }

    [Fact]
    public void WindowOverOtherBins_IsRejected()
    {
        var baseline = FeatureBaseline.FromSample(Samples.BigA);
        var window = new NumericFeatureWindow([0.0, 1.0], 8, 1);

        Assert.Throws<ArgumentException>(() => new DriftEvaluator().Evaluate(baseline, window));
    }

    private static IEnumerable<string?> Repeat(string value, int count) => Enumerable.Repeat<string?>(value, count);
}
