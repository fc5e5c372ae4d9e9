using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class KolmogorovSmirnovTests
{
    [Fact]
    public void SmallUnequalSamples_MatchScipyExact()
    {
        // stats.ks_2samp(A, B) -> (0.4444444444444444, 0.32377622377622384)
        var result = KolmogorovSmirnov.TwoSample(Samples.A, Samples.B);

        Assert.Equal(KolmogorovSmirnovMethod.Exact, result.Method);
        Approx.Relative(0.4444444444444444, result.Statistic, 1e-12);
        Approx.Relative(0.32377622377622384, result.PValue, 1e-10);
    }

    [Fact]
    public void SmallUnequalSamples_Asymptotic_MatchScipyAsymp()
    {
        // stats.ks_2samp(A, B, method='asymp') -> (0.4444444444444444, 0.3072892851699437); en = round(63/16) = 4
        var result = KolmogorovSmirnov.TwoSample(Samples.A, Samples.B, KolmogorovSmirnovMethod.Asymptotic);

        Assert.Equal(KolmogorovSmirnovMethod.Asymptotic, result.Method);
        Approx.Relative(0.3072892851699437, result.PValue, 1e-9);
    }

    [Fact]
    public void Ties_MatchScipy()
    {
        // stats.ks_2samp(TIES_A, TIES_B) -> (0.3392857142857143, 0.66013986013986)
        var result = KolmogorovSmirnov.TwoSample(Samples.TiesA, Samples.TiesB);

        Approx.Relative(0.3392857142857143, result.Statistic, 1e-12);
        Approx.Relative(0.66013986013986, result.PValue, 1e-10);
    }

    [Fact]
    public void IdenticalSamples_GiveZeroAndOne()
    {
        // stats.ks_2samp(A, A) -> (0.0, 1.0)
        var result = KolmogorovSmirnov.TwoSample(Samples.A, Samples.A);

        Assert.Equal(0.0, result.Statistic);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void DisjointTinySamples_MatchScipy()
    {
        // stats.ks_2samp([1, 2, 3], [4, 5, 6, 7]) -> (1.0, 0.05714285714285715)
        var result = KolmogorovSmirnov.TwoSample([1.0, 2, 3], [4.0, 5, 6, 7]);

        Assert.Equal(1.0, result.Statistic);
        Approx.Relative(0.05714285714285715, result.PValue, 1e-12);
    }

    [Fact]
    public void SingleValues_GivePValueOne()
    {
        // stats.ks_2samp([1.0], [2.0]) -> (1.0, 1.0)
        var result = KolmogorovSmirnov.TwoSample([1.0], [2.0]);

        Assert.Equal(1.0, result.Statistic);
        Assert.Equal(1.0, result.PValue);
    }

    [Fact]
    public void DisjointUnequalSamples_KeepTinyPValueAccurate()
    {
        // stats.ks_2samp(list(range(50)), list(range(100, 160))) -> (1.0, 3.186853303986419e-32), i.e. 2 / C(110, 50)
        var result = KolmogorovSmirnov.TwoSample(Samples.Range(0, 50), Samples.Range(100, 160));

        Assert.Equal(1.0, result.Statistic);
        Approx.Relative(3.186853303986419e-32, result.PValue, 1e-8);
    }

    [Fact]
    public void MediumUnequalSamples_MatchScipyExact()
    {
        // stats.ks_2samp(BIG_A, BIG_B) -> (0.13733333333333334, 0.010525912205286722)
        var result = KolmogorovSmirnov.TwoSample(Samples.BigA, Samples.BigB);

        Assert.Equal(KolmogorovSmirnovMethod.Exact, result.Method);
        Approx.Relative(0.13733333333333334, result.Statistic, 1e-12);
        Approx.Relative(0.010525912205286722, result.PValue, 1e-9);
    }

    [Fact]
    public void MediumUnequalSamples_Asymptotic_MatchScipyAsymp()
    {
        // stats.ks_2samp(BIG_A, BIG_B, method='asymp') -> (0.13733333333333342, 0.0106503337916103); en = 136
        var result = KolmogorovSmirnov.TwoSample(Samples.BigA, Samples.BigB, KolmogorovSmirnovMethod.Asymptotic);

        Approx.Relative(0.0106503337916103, result.PValue, 1e-8);
    }

    [Fact]
    public void EqualSizes_MatchScipyExact()
    {
        // stats.ks_2samp(EQ_A, EQ_B) -> (0.165, 0.008539483949831865)
        var result = KolmogorovSmirnov.TwoSample(Samples.EqA, Samples.EqB);

        Approx.Relative(0.165, result.Statistic, 1e-12);
        Approx.Relative(0.008539483949831865, result.PValue, 1e-9);
    }

    [Fact]
    public void LargeSamples_AutoChoosesAsymptotic_MatchScipy()
    {
        // stats.ks_2samp(HUGE_A, HUGE_B) -> (0.01975757575757575, 0.022352572446871447); max size 12000 > 10000
        var result = KolmogorovSmirnov.TwoSample(Samples.HugeA, Samples.HugeB);

        Assert.Equal(KolmogorovSmirnovMethod.Asymptotic, result.Method);
        Approx.Relative(0.01975757575757575, result.Statistic, 1e-12);
        Approx.Relative(0.022352572446871447, result.PValue, 1e-8);
    }

    [Fact]
    public void LargestAutoExactSizes_MatchScipyExact()
    {
        // stats.ks_2samp(AUTO_A, AUTO_B) -> (0.010101130113011302, 0.6815888351584866); sizes 10000 and 9999
        var result = KolmogorovSmirnov.TwoSample(Samples.AutoA, Samples.AutoB);

        Assert.Equal(KolmogorovSmirnovMethod.Exact, result.Method);
        Approx.Relative(0.010101130113011302, result.Statistic, 1e-12);
        Approx.Relative(0.6815888351584866, result.PValue, 1e-10);
    }

    [Fact]
    public void NaN_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([1.0, double.NaN], [2.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [2.0]));
    }

    [Theory]
    // stats.kstwo.sf(0.12, 100) -> 0.1033037490181987 (scipy: Pomeranz; here: Durbin matrix, both exact)
    [InlineData(100, 0.12, 0.1033037490181987, 1e-9)]
    // stats.kstwo.sf(0.3, 30) -> 0.006852243362913235 (scipy: Pomeranz; here: Durbin matrix)
    [InlineData(30, 0.3, 0.006852243362913235, 1e-9)]
    // stats.kstwo.sf(0.05, 150) -> 0.8290828416799794 (Pelz-Good in both)
    [InlineData(150, 0.05, 0.8290828416799794, 1e-10)]
    // stats.kstwo.sf(0.02, 5000) -> 0.03613941395325637 (Pelz-Good in both)
    [InlineData(5000, 0.02, 0.03613941395325637, 1e-10)]
    // stats.kstwo.sf(0.01, 20000) -> 0.03638603905248727 (Pelz-Good in both)
    [InlineData(20000, 0.01, 0.03638603905248727, 1e-10)]
    // stats.kstwo.sf(0.004, 200000) -> 0.003314212822560255 (2 * smirnov in both: n x^2 >= 2.2)
    [InlineData(200000, 0.004, 0.003314212822560255, 1e-9)]
    // stats.kstwo.sf(0.001, 1000000) -> 0.26982107442589376 (Pelz-Good in both: n > 100000)
    [InlineData(1000000, 0.001, 0.26982107442589376, 1e-10)]
    // stats.kstwo.sf(0.03, 1000) -> 0.3226902143914636 (Pelz-Good in both: n x^1.5 > 1.4)
    [InlineData(1000, 0.03, 0.3226902143914636, 1e-10)]
    // stats.kstwo.sf(0.01, 1000) -> 0.9999496745370611 (Durbin matrix in both: n x^1.5 <= 1.4)
    [InlineData(1000, 0.01, 0.9999496745370611, 1e-10)]
    public void KolmogorovDistribution_MatchesScipyKstwo(long n, double x, double expected, double relative)
    {
        Approx.Relative(expected, KolmogorovDistribution.Survival(n, x), relative);
    }

    [Theory]
    // stats.kstwobign.sf(0.8) -> 0.5441424115741981
    [InlineData(0.8, 0.5441424115741981)]
    // stats.kstwobign.sf(1.36) -> 0.049485876755377876
    [InlineData(1.36, 0.049485876755377876)]
    public void LimitingDistribution_MatchesScipyKstwobign(double z, double expected)
    {
        Approx.Relative(expected, KolmogorovDistribution.LimitingSurvival(z), 1e-12);
    }
}
