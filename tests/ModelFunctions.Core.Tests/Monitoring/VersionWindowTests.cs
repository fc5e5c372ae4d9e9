using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class VersionWindowTests
{
    private static readonly FeatureBaseline Numeric = FeatureBaseline.FromSample(Enumerable.Range(0, 500).Select(i => i / 50.0).ToArray());
    private static readonly FeatureBaseline Categorical = FeatureBaseline.FromCategories(["a", "b", "c", "a", "b", "a"]);

    [Fact]
    public void MergingTwoInstancesWindows_EqualsComputingOverTheUnion()
    {
        var random = new Random(11);
        var rows = Enumerable.Range(0, 900)
            .Select(i => (Value: (random.NextDouble() * 14) - 2, Category: i % 7 == 0 ? "z" : ((char)('a' + (i % 3))).ToString(), Ms: random.NextDouble() * 40, Outcome: (RequestOutcome)(i % 4)))
            .ToArray();
        var seeds = new Random(3);
        var a = NewWindow(seeds, "instance-a");
        var b = NewWindow(seeds, "instance-b");
        var union = NewWindow(seeds, "union");
        for (var i = 0; i < rows.Length; i++)
        {
            Add(i % 3 == 0 ? a : b, rows[i]);
            Add(union, rows[i]);
        }

        // As the checks do: both sides go through their JSON form first.
        var merged = VersionWindow.FromJson(a.ToJson());
        merged.Merge(VersionWindow.FromJson(b.ToJson()));

        Assert.Equal(union.Requests.Total, merged.Requests.Total);
        Assert.Equal(union.Requests.ServerError, merged.Requests.ServerError);
        Assert.Equal(union.Requests.ClientError, merged.Requests.ClientError);
        Assert.Equal(union.Latency.Counts, merged.Latency.Counts);
        Assert.Equal(union.Latency.MaxMs, merged.Latency.MaxMs);
        Assert.Equal(union.Latency.Percentile(0.95), merged.Latency.Percentile(0.95));
        Assert.Equal(["instance-a", "instance-b"], merged.Instances);
        Assert.Equal(2, merged.WindowCount);

        var unionNumeric = union.Features[0].Numeric!;
        var mergedNumeric = merged.Features[0].Numeric!;
        Assert.Equal(unionNumeric.Histogram, mergedNumeric.Histogram);
        Assert.Equal(unionNumeric.ValidCount, mergedNumeric.ValidCount);
        Assert.Equal(unionNumeric.OutOfRangeCount, mergedNumeric.OutOfRangeCount);
        Assert.True(unionNumeric.OutOfRangeCount > 0);
        Assert.Equal(unionNumeric.Min, mergedNumeric.Min);
        Assert.Equal(unionNumeric.Max, mergedNumeric.Max);
        Assert.Equal(unionNumeric.Mean, mergedNumeric.Mean, 1e-12);
        Assert.Equal(unionNumeric.Variance, mergedNumeric.Variance, 1e-9);
        Assert.Equal(unionNumeric.Reservoir.Offered, mergedNumeric.Reservoir.Offered);
        Assert.Equal(64, mergedNumeric.Reservoir.Count);
        Assert.All(mergedNumeric.Reservoir.Values, v => Assert.Contains(v, rows.Select(r => r.Value)));

        var unionCategorical = union.Features[1].Categorical!;
        var mergedCategorical = merged.Features[1].Categorical!;
        Assert.Equal(unionCategorical.Counts, mergedCategorical.Counts);
        Assert.Equal(unionCategorical.OtherCount, mergedCategorical.OtherCount);
        Assert.True(unionCategorical.OtherCount > 0);
    }

    [Fact]
    public void Merge_FeatureOnlyInTheOtherWindow_IsCopiedNotShared()
    {
        var seeds = new Random(5);
        var empty = new VersionWindow { Model = "m", Version = 1, Start = DateTimeOffset.UnixEpoch, End = DateTimeOffset.UnixEpoch.AddMinutes(5) };
        var other = NewWindow(seeds, "b");
        Add(other, (1.0, "a", 2.0, RequestOutcome.Success));

        empty.Merge(other);
        Add(other, (2.0, "b", 2.0, RequestOutcome.Success));

        Assert.Equal(1, empty.Features[0].Numeric!.ValidCount);
        Assert.Equal(2, other.Features[0].Numeric!.ValidCount);
    }

    [Fact]
    public void Merge_DifferentVersion_IsRefused()
    {
        var seeds = new Random(1);
        var one = NewWindow(seeds, "a");
        var two = new VersionWindow { Model = "m", Version = 2 };
        Assert.Throws<ArgumentException>(() => one.Merge(two));
    }

    private static VersionWindow NewWindow(Random seeds, string instance) => new()
    {
        Model = "m",
        Version = 1,
        Start = DateTimeOffset.UnixEpoch,
        End = DateTimeOffset.UnixEpoch.AddMinutes(5),
        Instances = [instance],
        Features =
        [
            new FeatureWindow { Name = "x", Numeric = NumericFeatureWindow.ForBaseline(Numeric, seeds, 64) },
            new FeatureWindow { Name = "c", Categorical = CategoricalFeatureWindow.ForBaseline(Categorical) },
        ],
    };

    private static void Add(VersionWindow window, (double Value, string Category, double Ms, RequestOutcome Outcome) row)
    {
        window.Requests.Add(row.Outcome);
        window.Latency.Add(row.Ms);
        window.Features[0].Numeric!.Add(row.Value);
        window.Features[1].Categorical!.Add(row.Category);
    }
}
