using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// Request latencies over fixed buckets (the same for every instance and window, so histograms merge by adding
/// counts). Serializable with System.Text.Json.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds of the buckets in milliseconds; a last, open bucket holds slower requests.</summary>
    public static IReadOnlyList<double> UpperBoundsMs { get; } =
    [
        0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 50, 75, 100, 150, 250, 500, 750, 1000, 1500, 2500, 5000, 10000, 30000, 60000,
    ];

    /// <summary>Creates an empty histogram.</summary>
    public LatencyHistogram()
    {
        Counts = new long[UpperBoundsMs.Count + 1];
    }

    /// <summary>Restores a histogram from its serialized form.</summary>
    /// <param name="counts">One count per bucket, the open bucket last.</param>
    /// <param name="maxMs">Slowest latency seen.</param>
    [JsonConstructor]
    public LatencyHistogram(long[] counts, double maxMs)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length != UpperBoundsMs.Count + 1)
        {
            throw new ArgumentException($"A latency histogram has {UpperBoundsMs.Count + 1} buckets.", nameof(counts));
        }

        Counts = counts;
        MaxMs = maxMs;
    }

    /// <summary>Requests per bucket, same order as <see cref="UpperBoundsMs"/>, the open bucket last.</summary>
    public long[] Counts { get; }

    /// <summary>Slowest latency seen, in milliseconds (0 when empty).</summary>
    public double MaxMs { get; private set; }

    /// <summary>Requests counted.</summary>
    [JsonIgnore]
    public long Count => Counts.Sum();

    /// <summary>Counts one request.</summary>
    /// <param name="milliseconds">Its latency.</param>
    public void Add(double milliseconds)
    {
        var bounds = UpperBoundsMs;
        var i = 0;
        while (i < bounds.Count && milliseconds > bounds[i])
        {
            i++;
        }

        Counts[i]++;
        if (milliseconds > MaxMs)
        {
            MaxMs = milliseconds;
        }
    }

    /// <summary>Adds another histogram's counts to this one.</summary>
    /// <param name="other">The histogram to add.</param>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += other.Counts[i];
        }

        MaxMs = Math.Max(MaxMs, other.MaxMs);
    }

    /// <summary>
    /// The latency below which a share <paramref name="quantile"/> of requests fall, interpolated linearly inside
    /// the bucket that holds that rank (the open bucket ends at <see cref="MaxMs"/>); null when empty.
    /// </summary>
    /// <param name="quantile">Between 0 and 1, e.g. 0.95.</param>
    public double? Percentile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1.0);
        var total = Count;
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        long below = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            if (Counts[i] == 0 || below + Counts[i] < rank)
            {
                below += Counts[i];
                continue;
            }

            var low = i == 0 ? 0.0 : UpperBoundsMs[i - 1];
            var high = i < UpperBoundsMs.Count ? Math.Min(UpperBoundsMs[i], Math.Max(MaxMs, low)) : Math.Max(MaxMs, low);
            var fraction = Math.Clamp((rank - below) / Counts[i], 0.0, 1.0);
            return low + ((high - low) * fraction);
        }

        return MaxMs;
    }
}
