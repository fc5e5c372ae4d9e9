using ModelFunctions.Core.Monitoring.Capture;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_InterpolatesInsideTheBucketHoldingTheRank()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 90; i++)
        {
            histogram.Add(4); // bucket (3, 5]
        }

        for (var i = 0; i < 10; i++)
        {
            histogram.Add(20); // bucket (15, 25]
        }

        // Rank 95 of 100 is the 5th of 10 values in (15, 25], whose top is capped at the slowest request (20):
        // 15 + (20 - 15) * 5 / 10 = 17.5.
        Assert.Equal(17.5, histogram.Percentile(0.95)!.Value, 1e-9);
        Assert.Equal(5.0, histogram.Percentile(0.90)!.Value, 1e-9);
        Assert.Null(new LatencyHistogram().Percentile(0.95));
    }

    [Fact]
    public void Percentile_InTheOpenBucket_EndsAtTheSlowestRequest()
    {
        var histogram = new LatencyHistogram();
        histogram.Add(90_000);
        histogram.Add(120_000);
        Assert.Equal(120_000, histogram.Percentile(1.0));
        Assert.InRange(histogram.Percentile(0.95)!.Value, 60_000, 120_000);
    }
}
