using System.Text.Json;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class FeatureBaselineTests
{
    [Fact]
    public void FromSample_EdgesAreNumpyQuantiles()
    {
        // np.quantile(BIG_A, [k / 10 for k in range(11)]).tolist()
        double[] expected =
        [
            0.001919367100015279, 0.10301499658000034, 0.20254049254000678, 0.30401999544000446, 0.4031616179799983,
            0.5009596835500005, 0.5999093693800035, 0.7006491208300012, 0.7987577491199993, 0.8989043705200107,
            0.9968943727999999,
        ];

        var baseline = FeatureBaseline.FromSample(Samples.BigA);

        Assert.Equal(FeatureKind.Numeric, baseline.Kind);
        Assert.Equal(expected.Length, baseline.BinEdges!.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Approx.Relative(expected[i], baseline.BinEdges![i], 1e-12);
        }

        // (float(np.mean(BIG_A)), float(np.std(BIG_A))) -> (0.5007819660166721, 0.28778429643017417)
        Approx.Relative(0.5007819660166721, baseline.Mean, 1e-12);
        Approx.Relative(0.28778429643017417, baseline.StandardDeviation, 1e-12);
        var histogram = baseline.Histogram!;
        Assert.Equal(300, histogram.Sum());
        Assert.Equal(0, histogram[0]);
        Assert.Equal(0, histogram[^1]);
        Assert.All(histogram[1..^1], count => Assert.InRange(count, 29, 31));
    }

    [Fact]
    public void FromSample_TiedQuantiles_AreDeduplicated()
    {
        // np.quantile(TIES_A, [k / 4 for k in range(5)]).tolist() -> [1.0, 1.75, 2.0, 3.5, 5.0]
        var baseline = FeatureBaseline.FromSample(Samples.TiesA, bins: 4);
        Assert.Equal([1.0, 1.75, 2.0, 3.5, 5.0], baseline.BinEdges!);

        // Deciles of TIES_A repeat (1, 1, 2, 2, ...): only distinct edges stay, strictly increasing.
        var deciles = FeatureBaseline.FromSample(Samples.TiesA, bins: 10);
        Assert.True(deciles.BinEdges!.Zip(deciles.BinEdges!.Skip(1)).All(pair => pair.First < pair.Second));
        Assert.Equal(8, deciles.Histogram!.Sum());
    }

    [Fact]
    public void FromSample_ConstantFeature_HasOneClosedBin()
    {
        var baseline = FeatureBaseline.FromSample([4.0, 4.0, 4.0, double.NaN]);

        Assert.Equal([4.0, 4.0], baseline.BinEdges!);
        Assert.Equal([0L, 3L, 0L], baseline.Histogram!);
        Assert.Equal(0.0, baseline.StandardDeviation);
        Assert.Equal(1, baseline.MissingCount);

        var window = new NumericFeatureWindow(baseline.BinEdges!, 16, 1);
        window.AddRange([3.0, 4.0, 4.0, 5.0]);
        Assert.Equal([1L, 2L, 1L], window.Histogram);
        Assert.Equal(2, window.OutOfRangeCount);
    }

    [Fact]
    public void FromSample_LargeInput_KeepsBoundedSortedSample()
    {
        var baseline = FeatureBaseline.FromSample(Samples.HugeA, sampleCapacity: 100);

        Assert.Equal(100, baseline.Sample!.Length);
        Assert.True(baseline.Sample.Zip(baseline.Sample.Skip(1)).All(pair => pair.First <= pair.Second));
        Approx.Absolute(0.005, baseline.Sample[0], 0.001);
        Approx.Absolute(0.995, baseline.Sample[^1], 0.001);
    }

    [Fact]
    public void Infer_FewDistinctNumbers_IsCategorical_ManyIsNumeric()
    {
        var binary = FeatureBaseline.Infer([0.0, 1, 1, 0, 1, double.NaN]);
        Assert.Equal(FeatureKind.Categorical, binary.Kind);
        Assert.Equal(["1", "0"], binary.Categories!);
        Assert.Equal([3L, 2L], binary.CategoryCounts!);
        Assert.Equal(1, binary.MissingCount);

        var numeric = FeatureBaseline.Infer(Samples.BigA);
        Assert.Equal(FeatureKind.Numeric, numeric.Kind);
    }

    [Fact]
    public void Infer_Text_NonNumericIsCategorical_NumericTextIsParsed()
    {
        var colors = FeatureBaseline.Infer(["red", "blue", "red", "", null, "green", "red"]);
        Assert.Equal(FeatureKind.Categorical, colors.Kind);
        Assert.Equal(["red", "blue", "green"], colors.Categories!);
        Assert.Equal(2, colors.MissingCount);

        var numbers = FeatureBaseline.Infer(Samples.BigA.Select(value => (string?)value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToList());
        Assert.Equal(FeatureKind.Numeric, numbers.Kind);
        Approx.Relative(0.5007819660166721, numbers.Mean, 1e-12);
    }

    [Fact]
    public void FromCategories_RareCategoriesGoToOther()
    {
        var baseline = FeatureBaseline.FromCategories(["a", "a", "a", "b", "b", "c", "d"], maxCategories: 2);

        Assert.Equal(["a", "b"], baseline.Categories!);
        Assert.Equal(2, baseline.OtherCount);
        Assert.Equal([3.0, 2.0, 2.0], baseline.ReferenceCounts());
    }

    [Fact]
    public void Baseline_RoundTripsThroughJson()
    {
        var numeric = FeatureBaseline.FromSample(Samples.BigA, sampleCapacity: 50);
        var categorical = FeatureBaseline.FromCategories(["x", "y", "x", null]);

        var numericBack = JsonSerializer.Deserialize<FeatureBaseline>(JsonSerializer.Serialize(numeric))!;
        var categoricalBack = JsonSerializer.Deserialize<FeatureBaseline>(JsonSerializer.Serialize(categorical))!;

        Assert.Equal(numeric.BinEdges, numericBack.BinEdges);
        Assert.Equal(numeric.Histogram, numericBack.Histogram);
        Assert.Equal(numeric.Sample, numericBack.Sample);
        Assert.Equal(numeric.StandardDeviation, numericBack.StandardDeviation);
        Assert.Equal(numeric.Min, numericBack.Min);
        Assert.Equal(FeatureKind.Categorical, categoricalBack.Kind);
        Assert.Equal(categorical.Categories, categoricalBack.Categories);
        Assert.Equal(categorical.CategoryCounts, categoricalBack.CategoryCounts);
        Assert.Equal(1, categoricalBack.MissingCount);
    }
}
