using System.Text.Json;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class FeatureWindowTests
{
    private static readonly double[] Edges = [0.1, 0.3, 0.5, 0.7, 0.9];

    [Fact]
    public void NumericMerge_EqualsWholeExactlyForCountsRangeAndHistogram()
    {
        var data = Samples.BigA.Concat([double.NaN, double.PositiveInfinity, -5.0, 7.0, double.NaN]).ToArray();
        var whole = new NumericFeatureWindow(Edges, 64, 1);
        var first = new NumericFeatureWindow(Edges, 64, 2);
        var second = new NumericFeatureWindow(Edges, 64, 3);
        whole.AddRange(data);
        first.AddRange(data.AsSpan(0, 123));
        second.AddRange(data.AsSpan(123));
        first.AddMissing();
        whole.AddMissing();

        first.Merge(second);

        Assert.Equal(whole.ValidCount, first.ValidCount);
        Assert.Equal(302, first.ValidCount);
        Assert.Equal(3, first.MissingCount);
        Assert.Equal(1, first.NonFiniteCount);
        Assert.Equal(whole.Min, first.Min);
        Assert.Equal(-5.0, first.Min);
        Assert.Equal(whole.Max, first.Max);
        Assert.Equal(whole.Histogram, first.Histogram);
        Assert.Equal(whole.OutOfRangeCount, first.OutOfRangeCount);
        Approx.Relative(whole.Mean, first.Mean, 1e-13);
        Approx.Relative(whole.Variance, first.Variance, 1e-12);
        Approx.Relative(whole.Sum, first.Sum, 1e-13);
        Assert.Equal(302, first.Reservoir.Offered);
        Assert.Equal(64, first.Reservoir.Count);
    }

    [Fact]
    public void NumericWindow_StridedBatches_EqualValueByValue()
    {
        // A column of row-major rows (3 columns, the middle one), fed as the capture folds it: in uneven batches.
        var column = Samples.BigA.Concat([double.NaN, double.NegativeInfinity, -5.0, 7.0]).ToArray();
        var rows = new double[column.Length * 3];
        for (var r = 0; r < column.Length; r++)
        {
            rows[(r * 3) + 1] = column[r];
            rows[r * 3] = double.NaN;
        }

        var single = new NumericFeatureWindow(Edges, 64, 9);
        var batched = new NumericFeatureWindow(Edges, 64, 9);
        single.AddRange(column);
        var done = 0;
        foreach (var size in new[] { 1, 16, 7, 100, 64 })
        {
            batched.AddStrided(rows.AsSpan((done * 3) + 1), 3, size);
            done += size;
        }

        batched.AddStrided(rows.AsSpan((done * 3) + 1), 3, column.Length - done);

        Assert.Equal(single.ValidCount, batched.ValidCount);
        Assert.Equal(1, batched.MissingCount);
        Assert.Equal(1, batched.NonFiniteCount);
        Assert.Equal(single.Min, batched.Min);
        Assert.Equal(single.Max, batched.Max);
        Assert.Equal(single.Histogram, batched.Histogram);
        Assert.Equal(single.Reservoir.ToSortedArray(), batched.Reservoir.ToSortedArray());
        Approx.Relative(single.Mean, batched.Mean, 1e-13);
        Approx.Relative(single.Variance, batched.Variance, 1e-12);
        // And the plain mean of the finite values (the two outliers included).
        Approx.Relative(Samples.BigA.Concat([-5.0, 7.0]).Average(), batched.Mean, 1e-13);
    }

    [Fact]
    public void NumericWindow_MomentsMatchNumpy()
    {
        // (float(np.mean(BIG_A)), float(np.std(BIG_A))) -> (0.5007819660166721, 0.28778429643017417)
        var window = new NumericFeatureWindow(Edges, 8, 1);
        window.AddRange(Samples.BigA);

        Approx.Relative(0.5007819660166721, window.Mean, 1e-13);
        Approx.Relative(0.28778429643017417, Math.Sqrt(window.Variance), 1e-12);
    }

    [Fact]
    public void Reservoir_BelowCapacity_KeepsEveryValueThroughMerge()
    {
        var first = new ReservoirSample(100, 11);
        var second = new ReservoirSample(100, 12);
        foreach (var value in Samples.A)
        {
            first.Add(value);
        }

        foreach (var value in Samples.B)
        {
            second.Add(value);
        }

        first.Merge(second);

        Assert.Equal(Samples.A.Concat(Samples.B).Order().ToArray(), first.ToSortedArray());
    }

    [Fact]
    public void ReservoirMerge_WeighsEachSideByItsCount()
    {
        var random = new Random(20261122);
        var large = new ReservoirSample(1000, (ulong)random.NextInt64());
        var small = new ReservoirSample(1000, (ulong)random.NextInt64());
        for (var i = 0; i < 9000; i++)
        {
            large.Add(0.0);
        }

        for (var i = 0; i < 1000; i++)
        {
            small.Add(1.0);
        }

        var mergedOneWay = Clone(large);
        mergedOneWay.Merge(small);
        var mergedOtherWay = Clone(small);
        mergedOtherWay.Merge(large);

        // Share from the small side is hypergeometric: mean 100, sd about 9; allow 5 sd.
        var fromSmall = mergedOneWay.Values.Count(value => value == 1.0);
        Assert.InRange(fromSmall, 55, 145);
        Assert.Equal(1000, mergedOneWay.Count);
        Assert.Equal(10000, mergedOneWay.Offered);
        Assert.Equal(mergedOneWay.ToSortedArray(), mergedOtherWay.ToSortedArray());
    }

    [Fact]
    public void Reservoir_IsUniformOverTheStream()
    {
        var reservoir = new ReservoirSample(1000, 987654321);
        for (var i = 0; i < 100_000; i++)
        {
            reservoir.Add(i);
        }

        // A uniform sample of 0..99999 has mean 49999.5 and standard error 28868 / sqrt(1000) = 913.
        Assert.InRange(reservoir.Values.Average(), 49999.5 - (5 * 913), 49999.5 + (5 * 913));
        var uniform = Enumerable.Range(0, 1000).Select(i => (i + 0.5) * 100.0).ToArray();
        Assert.True(KolmogorovSmirnov.TwoSample(reservoir.Values, uniform).PValue > 0.001);
    }

    [Fact]
    public void Reservoir_SameSeed_CannotBeMerged_ASmallerOneSetsTheMergedCapacity()
    {
        var first = new ReservoirSample(10, 5);
        var second = new ReservoirSample(10, 5);
        Assert.Throws<ArgumentException>(() => first.Merge(second));

        for (var i = 0; i < 10; i++)
        {
            first.Add(i);
        }

        var smaller = new ReservoirSample(5, 6);
        smaller.Add(100);
        first.Merge(smaller);
        Assert.Equal(5, first.Capacity);
        Assert.Equal(5, first.Count);
        Assert.Equal(11, first.Offered);
        Assert.All(first.Values, v => Assert.True(v is >= 0 and < 10 or 100));
    }

    [Fact]
    public void NumericWindow_RoundTripsThroughJsonAndKeepsSampling()
    {
        var window = new NumericFeatureWindow(Edges, 32, 42);
        var twin = new NumericFeatureWindow(Edges, 32, 42);
        window.AddRange(Samples.BigA.AsSpan(0, 100));
        twin.AddRange(Samples.BigA.AsSpan(0, 100));
        window.Add(double.NaN);
        twin.Add(double.NaN);

        var json = JsonSerializer.Serialize(window);
        var restored = JsonSerializer.Deserialize<NumericFeatureWindow>(json)!;
        restored.AddRange(Samples.BigA.AsSpan(100));
        twin.AddRange(Samples.BigA.AsSpan(100));

        Assert.Equal(twin.Histogram, restored.Histogram);
        Assert.Equal(twin.Mean, restored.Mean);
        Assert.Equal(twin.SumOfSquaredDeviations, restored.SumOfSquaredDeviations);
        Assert.Equal(twin.MissingCount, restored.MissingCount);
        Assert.Equal(twin.Min, restored.Min);
        Assert.Equal(twin.Reservoir.ToSortedArray(), restored.Reservoir.ToSortedArray());
        Assert.Equal(twin.Reservoir.Drawn, restored.Reservoir.Drawn);
    }

    [Fact]
    public void EmptyNumericWindow_RoundTripsAndMerges()
    {
        var empty = JsonSerializer.Deserialize<NumericFeatureWindow>(JsonSerializer.Serialize(new NumericFeatureWindow(Edges, 8, 1)))!;
        var other = new NumericFeatureWindow(Edges, 8, 2);
        other.AddRange([0.2, 0.4]);

        empty.Merge(other);

        Assert.Null(new NumericFeatureWindow(Edges, 8, 3).Min);
        Assert.Equal(0.2, empty.Min);
        Assert.Equal(0.4, empty.Max);
        Assert.Equal(0.3, empty.Mean, 15);
    }

    [Fact]
    public void NumericMerge_OverDifferentBins_IsRejected()
    {
        var window = new NumericFeatureWindow(Edges, 8, 1);

        Assert.Throws<ArgumentException>(() => window.Merge(new NumericFeatureWindow([0.0, 1.0], 8, 2)));
    }

    [Fact]
    public void CategoricalMerge_EqualsWhole_AndRoundTripsThroughJson()
    {
        string?[] data = ["a", "b", "a", null, "z", "c", "a", "b", "y", null, "c"];
        string[] categories = ["a", "b", "c"];
        var whole = new CategoricalFeatureWindow(categories);
        var first = new CategoricalFeatureWindow(categories);
        var second = new CategoricalFeatureWindow(categories);
        foreach (var value in data)
        {
            whole.Add(value);
        }

        foreach (var value in data.Take(4))
        {
            first.Add(value);
        }

        foreach (var value in data.Skip(4))
        {
            second.Add(value);
        }

        var restored = JsonSerializer.Deserialize<CategoricalFeatureWindow>(JsonSerializer.Serialize(first))!;
        restored.Merge(second);

        Assert.Equal(whole.Counts, restored.Counts);
        Assert.Equal([3L, 2L, 2L], restored.Counts);
        Assert.Equal(2, restored.OtherCount);
        Assert.Equal(2, restored.MissingCount);
        Assert.Equal(11, restored.Count);
        restored.Add("a");
        Assert.Equal(4, restored.Counts[0]);
    }

    [Fact]
    public void CategoricalWindow_NumbersUseTheBaselineFormatting()
    {
        var baseline = FeatureBaseline.Infer([0.0, 1, 1, 0, 0.5]);
        var window = CategoricalFeatureWindow.ForBaseline(baseline);

        window.Add(1.0);
        window.Add(0.5);
        window.Add(2.0);
        window.Add(double.NaN);

        Assert.Equal(2, window.Counts.Sum());
        Assert.Equal(1, window.OtherCount);
        Assert.Equal(1, window.MissingCount);
    }

    private static ReservoirSample Clone(ReservoirSample reservoir) =>
        JsonSerializer.Deserialize<ReservoirSample>(JsonSerializer.Serialize(reservoir))!;
}
