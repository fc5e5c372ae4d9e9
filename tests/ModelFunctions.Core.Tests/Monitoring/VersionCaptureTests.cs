using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class VersionCaptureTests
{
    private static readonly DateTimeOffset FirstWindow = new(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);

    // Class labels as numbers: 7 is not a reference category (other), NaN is missing.
    private static readonly float[] Labels = [0, 1, 2, 7, float.NaN, 1, 0, 0, 0, 2];

    [Fact]
    public void NumericCategoricalInput_CountedInBuffer_EqualsCountingEachValue()
    {
        var capture = new VersionCapture("m", 1, "instance-a", new MonitoringOptions(), seed: 1);
        var baseline = Baseline(["0", "0", "0", "1", "1", "2"]);
        capture.SetBaselines(Reference(baseline), learned: null, DateTimeOffset.UnixEpoch);

        for (var i = 0; i < 40; i++)
        {
            capture.Record([Input()], [Output()], RequestOutcome.Success, 1.0, FirstWindow.AddSeconds(i));
        }

        var window = Assert.Single(capture.Snapshot(includeOpen: true)).Window;
        var label = Assert.Single(window.Features, f => f.Name == "label").Categorical!;
        Assert.Equal(["0", "1", "2"], label.Categories);
        AssertSameCounts(Expected(baseline, 40), label);
    }

    [Fact]
    public void LearnedBaselineReplacedByAnotherInstances_IsCountedAgainstItsOwnCategories()
    {
        // No reference: the feature is "x[0]" and its baseline is a learned one, as for a model without reference.csv.
        var capture = new VersionCapture("m", 1, "instance-a", new MonitoringOptions(), seed: 1);
        capture.SetBaselines(reference: null, Learned(Baseline(["0", "0", "0", "1", "1", "2"])), DateTimeOffset.UnixEpoch);
        for (var i = 0; i < 10; i++)
        {
            capture.Record([Input()], [Output()], RequestOutcome.Success, 1.0, FirstWindow.AddSeconds(i));
        }

        // Another instance stored its own learned baseline first: this one adopts it. Most frequent first, it lists
        // the same labels in reverse, so an index remembered under the first baseline would land in the wrong count.
        var stored = Baseline(["2", "2", "2", "1", "1", "0"]);
        capture.AdoptLearned(new Dictionary<string, FeatureBaseline> { ["x[0]"] = stored });
        var later = FirstWindow.AddMinutes(10);
        for (var i = 0; i < 10; i++)
        {
            capture.Record([Input()], [Output()], RequestOutcome.Success, 1.0, later.AddSeconds(i));
        }

        var second = Assert.Single(capture.Snapshot(includeOpen: true), w => w.Window.Start > FirstWindow).Window;
        var feature = Assert.Single(second.Features, f => f.Name == "x[0]").Categorical!;
        Assert.Equal(["2", "1", "0"], feature.Categories);
        AssertSameCounts(Expected(stored, 10), feature);
    }

    [Fact]
    public void RowsBeforeTheBaselines_AreHeldAndCaptured_BeyondTheHoldingBufferCountedAsDropped()
    {
        // A request is 20 values (10 inputs, 10 outputs): two fit in 50, the third is dropped and counted.
        var capture = new VersionCapture("m", 1, "instance-a", new MonitoringOptions { HeldValuesWhileLoading = 50 }, seed: 1);
        var baseline = Baseline(["0", "0", "0", "1", "1", "2"]);
        for (var i = 0; i < 3; i++)
        {
            capture.Record([Input()], [Output()], RequestOutcome.Success, 1.0, FirstWindow.AddSeconds(i));
        }

        capture.Record([Input()], [Output()], RequestOutcome.ClientError, 1.0, FirstWindow.AddSeconds(3));
        capture.SetBaselines(Reference(baseline), learned: null, FirstWindow.AddSeconds(4));
        for (var i = 0; i < 2; i++)
        {
            capture.Record([Input()], [Output()], RequestOutcome.Success, 1.0, FirstWindow.AddSeconds(5 + i));
        }

        var window = Assert.Single(capture.Snapshot(includeOpen: true)).Window;
        Assert.Equal(50, window.Rows.Seen);
        Assert.Equal(40, window.Rows.Captured);
        Assert.Equal(10, window.Rows.DroppedWhileLoading);
        Assert.Equal(0, window.Rows.NotSampled);
        AssertSameCounts(Expected(baseline, 4), Assert.Single(window.Features, f => f.Name == "label").Categorical!);
    }

    [Fact]
    public void SampledOutRows_AreCountedAsNotSampled()
    {
        var capture = new VersionCapture("m", 1, "instance-a", new MonitoringOptions { SamplingRate = 0.25 }, seed: 3);
        capture.SetBaselines(Reference(Baseline(["0", "1", "2"])), learned: null, FirstWindow);
        for (var i = 0; i < 400; i++)
        {
            capture.Record([Input()], [Output()], RequestOutcome.Success, 1.0, FirstWindow.AddMilliseconds(i));
        }

        var window = Assert.Single(capture.Snapshot(includeOpen: true)).Window;
        var label = Assert.Single(window.Features, f => f.Name == "label").Categorical!;
        Assert.Equal(4000, window.Rows.Seen);
        Assert.Equal(window.Rows.Seen, window.Rows.Captured + window.Rows.NotSampled);
        Assert.Equal(window.Rows.Captured, label.Count);
        Assert.InRange(window.Rows.Captured, 800, 1200);
    }

    private static void AssertSameCounts(CategoricalFeatureWindow expected, CategoricalFeatureWindow actual)
    {
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.OtherCount, actual.OtherCount);
        Assert.Equal(expected.MissingCount, actual.MissingCount);
    }

    private static FeatureBaseline Baseline(string[] values)
    {
        var baseline = FeatureBaseline.FromCategories(values);
        Assert.Equal(FeatureKind.Categorical, baseline.Kind);
        return baseline;
    }

    private static ModelBaseline Reference(FeatureBaseline label) =>
        new("m", 1, 6, ["label"], new Dictionary<string, FeatureBaseline> { ["label"] = label });

    private static ModelBaseline Learned(FeatureBaseline x0) =>
        new("m", 1, 6, ["x[0]"], new Dictionary<string, FeatureBaseline> { ["x[0]"] = x0 });

    // The unbuffered path: every value formatted and looked up as text.
    private static CategoricalFeatureWindow Expected(FeatureBaseline baseline, int requests)
    {
        var expected = CategoricalFeatureWindow.ForBaseline(baseline);
        for (var i = 0; i < requests; i++)
        {
            foreach (var value in Labels)
            {
                expected.Add((double)value);
            }
        }

        return expected;
    }

    private static NamedTensor Input() => NamedTensor.FromArray("x", TensorDataType.Float32, [Labels.Length, 1], Labels);

    private static NamedTensor Output() =>
        NamedTensor.FromArray("y", TensorDataType.Float32, [Labels.Length, 1], Enumerable.Range(0, Labels.Length).Select(i => (float)i).ToArray());
}
