using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class DriftMetricsTests
{
    [Fact]
    public void Psi_ReversedDistribution_MatchesReference()
    {
        // psi([10, 20, 30, 40], [40, 30, 20, 10]) -> 0.9128696382935673
        var psi = DriftMetrics.PopulationStabilityIndex([10.0, 20, 30, 40], [40.0, 30, 20, 10]);

        Approx.Relative(0.9128696382935673, psi, 1e-12);
    }

    [Fact]
    public void Psi_EmptyReferenceBins_AreSmoothedWithOneTenThousandth()
    {
        // psi([0, 25, 25, 25, 25, 0], [3, 20, 30, 20, 20, 7]) -> 0.6710512219485836
        var psi = DriftMetrics.PopulationStabilityIndex([0.0, 25, 25, 25, 25, 0], [3.0, 20, 30, 20, 20, 7]);

        Approx.Relative(0.6710512219485836, psi, 1e-12);
    }

    [Fact]
    public void Psi_IdenticalAndScaledCounts_IsZero()
    {
        // psi([5, 5, 5], [5, 5, 5]) -> 0.0
        Assert.Equal(0.0, DriftMetrics.PopulationStabilityIndex([5.0, 5, 5], [5.0, 5, 5]));
        Assert.Equal(0.0, DriftMetrics.PopulationStabilityIndex([1.0, 2, 0], [10.0, 20, 0]), 15);
    }

    [Fact]
    public void Psi_IsSymmetric()
    {
        double[] reference = [1, 7, 2, 0];
        double[] current = [3, 3, 3, 1];

        Assert.Equal(
            DriftMetrics.PopulationStabilityIndex(reference, current),
            DriftMetrics.PopulationStabilityIndex(current, reference),
            14);
    }

    [Theory]
    // distance.jensenshannon([10, 20, 30, 40], [40, 30, 20, 10], base=2) -> 0.3918681606471551
    [InlineData(new double[] { 10, 20, 30, 40 }, new double[] { 40, 30, 20, 10 }, 0.3918681606471551)]
    // distance.jensenshannon([5, 0, 5], [0, 10, 0], base=2) -> 1.0 (disjoint supports)
    [InlineData(new double[] { 5, 0, 5 }, new double[] { 0, 10, 0 }, 1.0)]
    // distance.jensenshannon([3, 0, 7, 1], [2, 1, 6, 0], base=2) -> 0.321132834746358
    [InlineData(new double[] { 3, 0, 7, 1 }, new double[] { 2, 1, 6, 0 }, 0.321132834746358)]
    public void JensenShannon_MatchesScipy(double[] p, double[] q, double expected)
    {
        Approx.Relative(expected, DriftMetrics.JensenShannonDistance(p, q), 1e-12);
    }

    [Fact]
    public void JensenShannon_ProportionalCounts_IsZero()
    {
        // distance.jensenshannon([1, 2, 3], [2, 4, 6], base=2) -> 0.0
        Assert.Equal(0.0, DriftMetrics.JensenShannonDistance([1.0, 2, 3], [2.0, 4, 6]), 7);
    }

    [Theory]
    // stats.wasserstein_distance(A, B) -> 1.4047619047619047
    [InlineData("A", "B", 1.4047619047619047)]
    // stats.wasserstein_distance(TIES_A, TIES_B) -> 0.7321428571428571
    [InlineData("TiesA", "TiesB", 0.7321428571428571)]
    public void Wasserstein_MatchesScipy(string first, string second, double expected)
    {
        Approx.Relative(expected, DriftMetrics.WassersteinDistance(Named(first), Named(second)), 1e-12);
    }

    [Fact]
    public void Wasserstein_IdenticalIsZero_DisjointIsShift()
    {
        // stats.wasserstein_distance([1, 2, 3], [1, 2, 3]) -> 0.0
        Assert.Equal(0.0, DriftMetrics.WassersteinDistance([1.0, 2, 3], [3.0, 1, 2]));

        // stats.wasserstein_distance([0, 1], [10, 11, 12]) -> 10.5
        Approx.Relative(10.5, DriftMetrics.WassersteinDistance([0.0, 1], [10.0, 11, 12]), 1e-14);
    }

    [Fact]
    public void NormalizedWasserstein_DividesByPopulationStdWithFloor()
    {
        // (float(np.mean(BIG_A)), float(np.std(BIG_A))) -> (0.5007819660166721, 0.28778429643017417), ddof = 0
        var baseline = FeatureBaseline.FromSample(Samples.BigA);
        Approx.Relative(0.28778429643017417, baseline.StandardDeviation, 1e-12);

        Assert.Equal(2.0, DriftMetrics.NormalizedWassersteinDistance(0.5, 0.25));
        Assert.Equal(500.0, DriftMetrics.NormalizedWassersteinDistance(0.5, 0.0), 9);
    }

    [Theory]
    // stats.chi2_contingency([[40, 35, 25], [50, 30, 20]], correction=False)[:3]
    [InlineData(new[] { 40.0, 35, 25 }, new[] { 50.0, 30, 20 }, 2.051282051282051, 0.3585665413731905, 2)]
    // stats.chi2_contingency([[30, 14, 34, 45, 57, 20], [210, 190, 400, 520, 480, 200]], correction=False)[:3]
    [InlineData(new[] { 30.0, 14, 34, 45, 57, 20 }, new[] { 210.0, 190, 400, 520, 480, 200 }, 7.805619809072335, 0.16727867943626912, 5)]
    // stats.chi2_contingency([[12, 8], [100, 100]], correction=False)[:3]
    [InlineData(new[] { 12.0, 8 }, new[] { 100.0, 100 }, 0.7275132275132272, 0.3936904377219631, 1)]
    // stats.chi2_contingency([[50, 20, 30], [50, 50, 0]], correction=False)[:3]: a category the reference never had
    [InlineData(new[] { 50.0, 20, 30 }, new[] { 50.0, 50, 0 }, 42.85714285714286, 4.939576018831198e-10, 2)]
    public void ChiSquaredHomogeneity_MatchesScipy(double[] current, double[] reference, double statistic, double pValue, int degrees)
    {
        var result = DriftMetrics.ChiSquaredHomogeneity(current, reference);

        Approx.Relative(statistic, result.Statistic, 1e-12);
        Approx.Relative(pValue, result.PValue, 1e-9);
        Assert.Equal(degrees, result.DegreesOfFreedom);
    }

    [Fact]
    public void ChiSquaredHomogeneity_MergesSparseCellsIntoTheirNeighboursAndDropsEmptyOnes()
    {
        // The first cell (1 value in all) merges into the second, the empty last one goes:
        // stats.chi2_contingency([[12, 40, 38, 13], [30, 31, 29, 30]], correction=False)[:3] -> (15.579592893527472, 0.0013827282182673599, 3)
        var result = DriftMetrics.ChiSquaredHomogeneity([1.0, 11, 40, 38, 13, 0], [0.0, 30, 31, 29, 30, 0]);

        Approx.Relative(15.579592893527472, result.Statistic, 1e-12);
        Approx.Relative(0.0013827282182673599, result.PValue, 1e-9);
        Assert.Equal(3, result.DegreesOfFreedom);

        // One stray value in a category the reference never had is not evidence of a changed distribution.
        var stray = DriftMetrics.ChiSquaredHomogeneity([50.0, 49, 1], [50.0, 50, 0]);
        Assert.Equal(1.0, stray.PValue, 12);
        Assert.Equal(1, stray.DegreesOfFreedom);

        // Everything in one cell leaves nothing to compare.
        var single = DriftMetrics.ChiSquaredHomogeneity([3.0, 0], [4.0, 0]);
        Assert.Equal(new ChiSquaredResult(0.0, 0, 1.0), single);
    }

    [Theory]
    // stats.binom.sf(k - 1, n, p): P(X >= k)
    [InlineData(10, 100, 0.05, 0.028188294163416113)]
    [InlineData(2, 20, 0.05, 0.2641604750561498)]
    [InlineData(600, 10000, 0.05, 4.509387117818568e-06)]
    [InlineData(3, 300, 0.05, 0.9999707324740338)]
    [InlineData(30, 300, 0.05, 0.0002817940323091695)]
    [InlineData(5000, 100000, 0.05, 0.5020259614598019)]
    [InlineData(1, 10, 0.3, 0.9717524751)]
    [InlineData(201, 1000000, 0.0001, 4.60265151950485e-19)]
    public void BinomialUpperTail_MatchesScipy(long successes, long trials, double probability, double expected)
    {
        Approx.Relative(expected, DriftMetrics.BinomialUpperTail(successes, trials, probability), 1e-9);
    }

    [Fact]
    public void BinomialUpperTail_Edges()
    {
        Assert.Equal(1.0, DriftMetrics.BinomialUpperTail(0, 50, 0.1));
        Assert.Equal(0.0, DriftMetrics.BinomialUpperTail(1, 50, 0.0));
        Assert.Equal(1.0, DriftMetrics.BinomialUpperTail(50, 50, 1.0));
        Approx.Relative(Math.Pow(0.3, 10), DriftMetrics.BinomialUpperTail(10, 10, 0.3), 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftMetrics.BinomialUpperTail(11, 10, 0.3));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftMetrics.BinomialUpperTail(1, 10, double.NaN));
    }

    [Theory]
    // stats.chi2.sf(3.0, 1) -> 0.08326451666355042
    [InlineData(3.0, 1, 0.08326451666355042)]
    // stats.chi2.sf(250.0, 200) -> 0.009379131668826098
    [InlineData(250.0, 200, 0.009379131668826098)]
    // stats.chi2.sf(0.01, 7) -> 0.999999999243059
    [InlineData(0.01, 7, 0.999999999243059)]
    // stats.chi2.sf(60.0, 3) -> 5.878230727906921e-13
    [InlineData(60.0, 3, 5.878230727906921e-13)]
    public void ChiSquaredSurvival_MatchesScipyTo1e10(double x, int degrees, double expected)
    {
        Approx.Relative(expected, DriftMetrics.ChiSquaredSurvival(x, degrees), 1e-10);
    }

    [Fact]
    public void Chebyshev_MatchesScipy()
    {
        // distance.chebyshev([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]) -> 0.29999999999999993
        Approx.Relative(0.29999999999999993, DriftMetrics.ChebyshevDistance([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]), 1e-12);
    }

    [Fact]
    public void MismatchedLengthsAndEmptyTotals_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => DriftMetrics.JensenShannonDistance([1.0, 2], [1.0]));
        Assert.Throws<ArgumentException>(() => DriftMetrics.PopulationStabilityIndex([0.0, 0], [1.0, 1]));
        Assert.Throws<ArgumentException>(() => DriftMetrics.ChebyshevDistance([1.0], [1.0, 2]));
    }

    private static double[] Named(string name) => name switch
    {
        "A" => Samples.A,
        "B" => Samples.B,
        "TiesA" => Samples.TiesA,
        "TiesB" => Samples.TiesB,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
