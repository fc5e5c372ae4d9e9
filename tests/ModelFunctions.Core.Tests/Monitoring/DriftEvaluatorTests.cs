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
        Assert.Equal(DriftMetric.ChiSquared, report.DecisionMetric);
        Assert.Equal(0.01, report.Threshold);
        Assert.Equal(300, report.MinimumSampleSize);
        Assert.Equal(0.0, report.ChiSquared!.Statistic, 12);
        Assert.Equal(1.0, report.DecisionValue!.Value, 12);
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
        Assert.True(report.ChiSquared!.PValue < 1e-20, report.ChiSquared.ToString());

        // A shift by 0.5 moves the empirical distributions apart by exactly 0.5 in Wasserstein distance.
        Approx.Relative(0.5, report.Wasserstein!.Value, 1e-9);
        Approx.Relative(0.5 / 0.28778429643017417, report.NormalizedWasserstein!.Value, 1e-9);
        Approx.Absolute(0.5, report.OutOfRangeRate, 0.01);
        Approx.Relative(1.0 / 301, report.MissingRate, 1e-12);
        Assert.True(report.PopulationStabilityIndex > 0.25);
    }

    [Theory]
    // ref = [-ln(1 - (i * 0.6180339887 % 1)) for i in 1..2000]; win = [-ln(1 - (i * 0.4142135623 % 1)) * 1.05 for i in 1..n]
    // stats.ks_2samp(ref, win).statistic and stats.wasserstein_distance(ref, win) on the full data:
    [InlineData(500, 0.0215, 0.05288522547898799)]
    [InlineData(50_000, 0.01880000000000004, 0.05057063828548021)]
    public void KolmogorovSmirnovAndWasserstein_AreWithinTheStatedErrorOfScipyOnTheFullData(int n, double statistic, double wasserstein)
    {
        // The sample a model of 8 features gets by default (ReservoirValuesPerVersion / 8).
        const int capacity = 8_192;
        var reference = Enumerable.Range(1, 2000).Select(i => -Math.Log(1 - (i * 0.6180339887 % 1.0))).ToArray();
        var baseline = FeatureBaseline.FromSample(reference);
        var window = NumericFeatureWindow.ForBaseline(baseline, new Random(7), capacity);
        for (var i = 1; i <= n; i++)
        {
            window.Add(-Math.Log(1 - (i * 0.4142135623 % 1.0)) * 1.05);
        }

        var report = new DriftEvaluator().Evaluate(baseline, window);

        // Stated in Monitoring/README.md: the baseline's 1,024 order statistics of 2,000 values are off by at most
        // 1/2048 in rank; a window of at most the capacity is kept whole; beyond, a uniform sample of 8,192 is off
        // by at most 0.0215 (DKW at 99.9 %). Wasserstein: within 0.02 reference standard deviations.
        var bound = (1.0 / 2048) + (n > capacity ? 0.0215 : 0);
        var statisticError = Math.Abs(report.KolmogorovSmirnov!.Statistic - statistic);
        var wassersteinError = Math.Abs(report.Wasserstein!.Value - wasserstein) / baseline.StandardDeviation;
        Console.WriteLine($"{n} rows: KS {report.KolmogorovSmirnov.Statistic:G4} (scipy {statistic:G4}, bound {bound:G3}), Wasserstein {report.Wasserstein:G4} (scipy {wasserstein:G4}, {wassersteinError:G2} reference SDs off)");
        Assert.True(statisticError <= bound, $"KS statistic {report.KolmogorovSmirnov.Statistic} against {statistic}");
        Assert.True(wassersteinError <= 0.02, $"Wasserstein {report.Wasserstein} against {wasserstein}");
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
        var evaluator = new DriftEvaluator(DriftEvaluatorOptions.StatisticalTests with { MinimumSampleSize = 100 });

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

        var report = new DriftEvaluator(DriftEvaluatorOptions.StatisticalTests with { MinimumSampleSize = 100 }).Evaluate(baseline, window);

        // stats.chi2_contingency([[40, 35, 25], [50, 30, 20]], correction=False)[:3] -> (2.051282051282051, 0.3585665413731905, 2)
        Approx.Relative(2.051282051282051, report.ChiSquared!.Statistic, 1e-12);
        Approx.Relative(0.3585665413731905, report.ChiSquared.PValue, 1e-10);
        Assert.Equal(2, report.ChiSquared.DegreesOfFreedom);

        // distance.jensenshannon([50, 30, 20, 0], [40, 35, 25, 0], base=2) -> 0.08609435336652073
        Approx.Relative(0.08609435336652073, report.JensenShannon!.Value, 1e-12);
        Approx.Relative(0.1, report.Chebyshev!.Value, 1e-12);
        Assert.Equal(DriftVerdict.NoDrift, report.Verdict);

        // 100 values are under the default minimum of 300: no verdict, the figures still shown.
        var byDefault = new DriftEvaluator().Evaluate(baseline, window);
        Assert.Equal(DriftVerdict.InsufficientData, byDefault.Verdict);
        Assert.Equal(report.ChiSquared, byDefault.ChiSquared);
    }

    [Fact]
    public void Categorical_NewCategoryDriftsOnlyWhenItIsMoreThanAStrayValue()
    {
        var baseline = FeatureBaseline.FromCategories(Repeat("a", 50).Concat(Repeat("b", 50)));
        var evaluator = new DriftEvaluator(DriftEvaluatorOptions.StatisticalTests with { MinimumSampleSize = 100 });

        var stray = CategoricalFeatureWindow.ForBaseline(baseline);
        foreach (var value in Repeat("a", 50).Concat(Repeat("b", 49)).Append("new"))
        {
            stray.Add(value);
        }

        var strayReport = evaluator.Evaluate(baseline, stray);
        Assert.Equal(0.01, strayReport.OutOfRangeRate, 15);
        Assert.Equal(DriftVerdict.NoDrift, strayReport.Verdict);

        // stats.chi2_contingency([[50, 20, 30], [50, 50, 0]], correction=False) -> p 4.939576018831198e-10
        var many = CategoricalFeatureWindow.ForBaseline(baseline);
        foreach (var value in Repeat("a", 50).Concat(Repeat("b", 20)).Concat(Repeat("new", 30)))
        {
            many.Add(value);
        }

        var manyReport = evaluator.Evaluate(baseline, many);
        Approx.Relative(4.939576018831198e-10, manyReport.ChiSquared!.PValue, 1e-9);
        Assert.Equal(DriftVerdict.Drift, manyReport.Verdict);
    }

    [Fact]
    public void NumericBinMetrics_CountValuesBeyondTheReferenceInTheOuterBins()
    {
        // Reference 0..99 in 10 quantile bins; the window is the reference with its top 40 values moved past the max:
        // open-ended, they join the top bin (the out-of-range rate reports them apart).
        var reference = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var baseline = FeatureBaseline.FromSample(reference);
        var window = NumericFeatureWindow.ForBaseline(baseline, new Random(6));
        window.AddRange(reference.AsSpan(0, 60));
        for (var i = 0; i < 40; i++)
        {
            window.Add(99.0 + 0.5 + i);
        }

        var report = new DriftEvaluator(new DriftEvaluatorOptions { MinimumSampleSize = 50 }).Evaluate(baseline, window);

        Assert.Equal(0.4, report.OutOfRangeRate, 12);
        var reportedBins = baseline.BinEdges!.Length - 1;
        var expected = DriftMetrics.ChiSquaredHomogeneity(
            [10.0, 10, 10, 10, 10, 10, 0, 0, 0, 40],
            baseline.Histogram!.Skip(1).Take(reportedBins).Select(c => (double)c).ToArray());
        Assert.Equal(expected, report.ChiSquared);
        Assert.Equal(DriftVerdict.Drift, report.Verdict);

        // PSI and Jensen-Shannon on the same open-ended bins (Evidently's 1e-4 for an empty bin):
        // p = [.1] * 10; c = [.1] * 6 + [0, 0, 0, .4]; sum((c' - p) * ln(c' / p)) -> 2.486142565446914,
        // distance.jensenshannon(p, c, base=2) -> 0.46852745520210387
        Approx.Relative(2.486142565446914, report.PopulationStabilityIndex!.Value, 1e-12);
        Approx.Relative(0.46852745520210387, report.JensenShannon!.Value, 1e-12);
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

        var psi = new DriftEvaluator(DriftEvaluatorOptions.PopulationStability with { MinimumSampleSize = 100 }).Evaluate(baseline, window);
        var js = new DriftEvaluator(DriftEvaluatorOptions.FixedDistances with { MinimumSampleSize = 100 }).Evaluate(baseline, window);

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
            Numeric = new FeatureDriftPolicy(DriftMetric.ChiSquared, 0),
        }));
        Assert.Throws<ArgumentException>(() => new DriftEvaluator(new DriftEvaluatorOptions
        {
            Categorical = new FeatureDriftPolicy(DriftMetric.ChiSquared, 1.5),
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
