using System.Text.Json;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class ReservoirSampleTests
{
    // scipy.stats.chi2.ppf(0.999, 19) = 43.82: 20 buckets, a uniform sampler exceeds it one time in a thousand.
    private const double ChiSquaredCritical = 43.82;
    private const int StreamLength = 1000;
    private const int Capacity = 50;
    private const int Buckets = 20;
    private const int Runs = 4000;

    [Theory]
    [InlineData("one stream")]
    [InlineData("merged 300 + 700")]
    [InlineData("merged 300 + 700, the first twice as large")]
    [InlineData("merged 300 + 700, the second twice as large")]
    [InlineData("JSON round trip after 400")]
    public void EveryPositionOfTheStreamIsKeptEquallyOften(string mode)
    {
        var kept = KeptPerBucket(mode, skipBias: 0);

        var chiSquared = ChiSquared(kept);
        Assert.True(chiSquared < ChiSquaredCritical, $"chi-squared {chiSquared:F1} over {Buckets} buckets: [{string.Join(", ", kept)}]");
        Assert.Equal((long)Runs * Capacity, kept.Sum());
    }

    [Fact]
    public void TheUniformityTest_RejectsASamplerThatSkipsOneValueTooMany()
    {
        // The same statistic on a sampler with an off-by-one in the skip (every skip one longer): late values are
        // kept too rarely, and the test must see it, else it could not see that mistake in the real one either.
        var kept = KeptPerBucket("one stream", skipBias: 1);

        Assert.True(ChiSquared(kept) > ChiSquaredCritical, $"[{string.Join(", ", kept)}]");
    }

    [Fact]
    public void AFullReservoir_DrawsRandomNumbersOnlyForTheValuesThatEnter()
    {
        var reservoir = new ReservoirSample(256, 77);
        for (var i = 0; i < 1_000_000; i++)
        {
            reservoir.Add(i);
        }

        // Expected draws: 256 to fill, then two per entering value; about k ln(n / k) = 2,118 values enter.
        Assert.Equal(1_000_000, reservoir.Offered);
        Assert.Equal(256, reservoir.Count);
        Assert.InRange(reservoir.Drawn, 256 + (2 * 1_800), 256 + (2 * 2_500));
    }

    [Fact]
    public void JsonRoundTrip_KeepsThePendingSkip_AndContinuesIdentically()
    {
        var reservoir = new ReservoirSample(16, 5);
        var twin = new ReservoirSample(16, 5);
        for (var i = 0; i < 500; i++)
        {
            reservoir.Add(i);
            twin.Add(i);
        }

        var restored = JsonSerializer.Deserialize<ReservoirSample>(JsonSerializer.Serialize(reservoir))!;
        Assert.True(restored.Skip >= 0);
        Assert.Equal(twin.Skip, restored.Skip);
        for (var i = 500; i < 5000; i++)
        {
            restored.Add(i);
            twin.Add(i);
        }

        Assert.Equal(twin.ToSortedArray(), restored.ToSortedArray());
        Assert.Equal(twin.Drawn, restored.Drawn);
    }

    [Fact]
    public void OlderJsonWithoutSkip_DrawsOneOnTheNextValue()
    {
        var full = new ReservoirSample(4, 9);
        for (var i = 0; i < 10; i++)
        {
            full.Add(i);
        }

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(full));
        var withoutSkip = document.RootElement.EnumerateObject()
            .Where(p => !string.Equals(p.Name, nameof(ReservoirSample.Skip), StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Name, p => p.Value);
        var restored = JsonSerializer.Deserialize<ReservoirSample>(JsonSerializer.Serialize(withoutSkip))!;

        Assert.Equal(-1, restored.Skip);
        restored.Add(10);
        Assert.True(restored.Skip >= 0);
        Assert.Equal(11, restored.Offered);
        Assert.Equal(4, restored.Count);
    }

    private static long[] KeptPerBucket(string mode, int skipBias)
    {
        var seeds = new Random(20261122);
        var kept = new long[Buckets];
        for (var run = 0; run < Runs; run++)
        {
            var sample = mode switch
            {
                "one stream" => Feed(new ReservoirSample(Capacity, (ulong)seeds.NextInt64()), 0, StreamLength, skipBias),
                "merged 300 + 700" => Merged(Feed(new ReservoirSample(Capacity, (ulong)seeds.NextInt64()), 0, 300, skipBias), Feed(new ReservoirSample(Capacity, (ulong)seeds.NextInt64()), 300, StreamLength, skipBias)),
                "merged 300 + 700, the first twice as large" => Merged(Feed(new ReservoirSample(2 * Capacity, (ulong)seeds.NextInt64()), 0, 300, skipBias), Feed(new ReservoirSample(Capacity, (ulong)seeds.NextInt64()), 300, StreamLength, skipBias)),
                "merged 300 + 700, the second twice as large" => Merged(Feed(new ReservoirSample(Capacity, (ulong)seeds.NextInt64()), 0, 300, skipBias), Feed(new ReservoirSample(2 * Capacity, (ulong)seeds.NextInt64()), 300, StreamLength, skipBias)),
                "JSON round trip after 400" => Feed(Restored(Feed(new ReservoirSample(Capacity, (ulong)seeds.NextInt64()), 0, 400, skipBias)), 400, StreamLength, skipBias),
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
            foreach (var value in sample.Values)
            {
                kept[(int)value / (StreamLength / Buckets)]++;
            }
        }

        return kept;
    }

    private static ReservoirSample Feed(ReservoirSample reservoir, int from, int to, int skipBias)
    {
        for (var i = from; i < to; i++)
        {
            var skipBefore = reservoir.Skip;
            reservoir.Add(i);
            if (skipBias > 0 && reservoir.Skip >= 0 && reservoir.Skip != skipBefore - 1)
            {
                // A skip was just drawn: lengthen it by passing over extra values without offering them.
                for (var extra = 0; extra < skipBias && i + 1 < to; extra++)
                {
                    i++;
                }
            }
        }

        return reservoir;
    }

    private static ReservoirSample Merged(ReservoirSample first, ReservoirSample second)
    {
        first.Merge(second);
        return first;
    }

    private static ReservoirSample Restored(ReservoirSample reservoir) =>
        JsonSerializer.Deserialize<ReservoirSample>(JsonSerializer.Serialize(reservoir))!;

    private static double ChiSquared(long[] kept)
    {
        var expected = (double)Runs * Capacity / Buckets;
        return kept.Sum(o => (o - expected) * (o - expected) / expected);
    }
}
