using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// What one serving instance accumulates for a numeric feature over a time window; mergeable and serializable
/// with System.Text.Json.
/// </summary>
/// <remarks>
/// Counts, histogram, minimum and maximum merge exactly (a merge equals accumulating the union). Mean and the sum of
/// squared deviations merge with Chan's parallel formula, equal to the union's up to rounding. The reservoir merges
/// as described on <see cref="ReservoirSample"/>.
/// </remarks>
public sealed class NumericFeatureWindow
{
    // Min and max as plain doubles (infinities while empty): the per-value path compares without nullables.
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Creates an empty window over the given bins.</summary>
    /// <param name="binEdges">The baseline's bin edges (see <see cref="HistogramBins"/>).</param>
    /// <param name="reservoirCapacity">Size of the kept sample.</param>
    /// <param name="seed">Reservoir seed, distinct for windows that will be merged.</param>
    public NumericFeatureWindow(double[] binEdges, int reservoirCapacity, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(binEdges);
        HistogramBins.Validate(binEdges, nameof(binEdges));
        BinEdges = binEdges;
        Histogram = new long[HistogramBins.CountLength(binEdges)];
        Reservoir = new ReservoirSample(reservoirCapacity, seed);
    }

    /// <summary>Restores a window from its serialized form.</summary>
    /// <param name="binEdges">Bin edges.</param>
    /// <param name="validCount">Finite values added.</param>
    /// <param name="missingCount">Missing values (NaN or explicitly missing).</param>
    /// <param name="nonFiniteCount">Infinite values.</param>
    /// <param name="mean">Mean of the finite values.</param>
    /// <param name="sumOfSquaredDeviations">Sum of squared deviations from the mean.</param>
    /// <param name="min">Smallest finite value, null when none.</param>
    /// <param name="max">Largest finite value, null when none.</param>
    /// <param name="histogram">Counts over the bins, underflow first, overflow last.</param>
    /// <param name="reservoir">Kept sample.</param>
    [JsonConstructor]
    public NumericFeatureWindow(
        double[] binEdges,
        long validCount,
        long missingCount,
        long nonFiniteCount,
        double mean,
        double sumOfSquaredDeviations,
        double? min,
        double? max,
        long[] histogram,
        ReservoirSample reservoir)
    {
        ArgumentNullException.ThrowIfNull(binEdges);
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentNullException.ThrowIfNull(reservoir);
        HistogramBins.Validate(binEdges, nameof(binEdges));
        if (histogram.Length != HistogramBins.CountLength(binEdges))
        {
            throw new ArgumentException("The histogram does not match the bin edges.", nameof(histogram));
        }

        BinEdges = binEdges;
        ValidCount = validCount;
        MissingCount = missingCount;
        NonFiniteCount = nonFiniteCount;
        Mean = mean;
        SumOfSquaredDeviations = sumOfSquaredDeviations;
        _min = min ?? double.PositiveInfinity;
        _max = max ?? double.NegativeInfinity;
        Histogram = histogram;
        Reservoir = reservoir;
    }

    /// <summary>Bin edges, from the baseline.</summary>
    public double[] BinEdges { get; }

    /// <summary>Finite values added.</summary>
    public long ValidCount { get; private set; }

    /// <summary>Missing values: NaN, or <see cref="AddMissing"/>.</summary>
    public long MissingCount { get; private set; }

    /// <summary>Positive or negative infinities added.</summary>
    public long NonFiniteCount { get; private set; }

    /// <summary>All observations: valid, missing and non-finite.</summary>
    [JsonIgnore]
    public long Count => ValidCount + MissingCount + NonFiniteCount;

    /// <summary>Mean of the finite values (0 when none).</summary>
    public double Mean { get; private set; }

    /// <summary>Sum of squared deviations of the finite values from their mean (Welford's M2).</summary>
    public double SumOfSquaredDeviations { get; private set; }

    /// <summary>Sum of the finite values.</summary>
    [JsonIgnore]
    public double Sum => Mean * ValidCount;

    /// <summary>Population variance (ddof = 0) of the finite values, 0 when none.</summary>
    [JsonIgnore]
    public double Variance => ValidCount == 0 ? 0.0 : SumOfSquaredDeviations / ValidCount;

    /// <summary>Smallest finite value, null when none.</summary>
    public double? Min => ValidCount == 0 ? null : _min;

    /// <summary>Largest finite value, null when none.</summary>
    public double? Max => ValidCount == 0 ? null : _max;

    /// <summary>Counts over <see cref="BinEdges"/>: underflow first, regular bins, overflow last.</summary>
    public long[] Histogram { get; }

    /// <summary>Finite values outside the reference range [first edge, last edge].</summary>
    [JsonIgnore]
    public long OutOfRangeCount => Histogram[0] + Histogram[^1];

    /// <summary>Bounded uniform sample of the finite values.</summary>
    public ReservoirSample Reservoir { get; }

    /// <summary>Creates an empty window over a numeric baseline's bins, its reservoir seeded from <paramref name="random"/>.</summary>
    /// <param name="baseline">A numeric baseline.</param>
    /// <param name="random">A seeded generator owned by the caller.</param>
    /// <param name="reservoirCapacity">Size of the kept sample.</param>
    public static NumericFeatureWindow ForBaseline(FeatureBaseline baseline, Random random, int reservoirCapacity = FeatureBaseline.DefaultSampleCapacity)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(random);
        if (baseline.Kind != FeatureKind.Numeric || baseline.BinEdges is null)
        {
            throw new ArgumentException("The baseline is not numeric.", nameof(baseline));
        }

        return new NumericFeatureWindow(baseline.BinEdges, reservoirCapacity, (ulong)random.NextInt64(long.MinValue, long.MaxValue));
    }

    /// <summary>Adds one observation: NaN counts as missing, an infinity as non-finite.</summary>
    /// <param name="value">The observed value.</param>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            if (double.IsNaN(value))
            {
                MissingCount++;
            }
            else
            {
                NonFiniteCount++;
            }

            return;
        }

        var count = ++ValidCount;
        var mean = Mean;
        var delta = value - mean;
        mean += delta / count;
        Mean = mean;
        SumOfSquaredDeviations += delta * (value - mean);
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        Histogram[HistogramBins.IndexOf(BinEdges, value)]++;
        Reservoir.Add(value);
    }

    /// <summary>Adds every value of a span.</summary>
    /// <param name="values">Observed values.</param>
    public void AddRange(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            Add(value);
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> values taken every <paramref name="stride"/> elements (a column of row-major
    /// rows). Counts, range, histogram and reservoir are as for <see cref="Add"/>; the moments of the batch are
    /// computed in two passes and merged with Chan's formula, so there is one division per batch, not per value.
    /// </summary>
    internal void AddStrided(ReadOnlySpan<double> values, int stride, int count)
    {
        long batchCount = 0;
        var sum = 0.0;
        var min = _min;
        var max = _max;
        var histogram = Histogram;
        var edges = BinEdges.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var value = values[i * stride];
            if (!double.IsFinite(value))
            {
                if (double.IsNaN(value))
                {
                    MissingCount++;
                }
                else
                {
                    NonFiniteCount++;
                }

                continue;
            }

            batchCount++;
            sum += value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            histogram[HistogramBins.IndexOf(edges, value)]++;
            Reservoir.Add(value);
        }

        if (batchCount == 0)
        {
            return;
        }

        var batchMean = sum / batchCount;
        var batchSquares = 0.0;
        for (var i = 0; i < count; i++)
        {
            var value = values[i * stride];
            if (double.IsFinite(value))
            {
                var deviation = value - batchMean;
                batchSquares += deviation * deviation;
            }
        }

        var total = ValidCount + batchCount;
        var delta = batchMean - Mean;
        Mean += delta * batchCount / total;
        SumOfSquaredDeviations += batchSquares + (delta * delta * ValidCount * batchCount / total);
        ValidCount = total;
        _min = min;
        _max = max;
    }

    /// <summary>Counts one missing observation (a null or absent input).</summary>
    public void AddMissing() => MissingCount++;

    /// <summary>Merges another window over the same bins into this one; the other is left unchanged.</summary>
    /// <param name="other">A window over identical bin edges, with a reservoir of another seed (the smaller capacity is kept).</param>
    public void Merge(NumericFeatureWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!BinEdges.AsSpan().SequenceEqual(other.BinEdges))
        {
            throw new ArgumentException("Windows over different bins cannot be merged.", nameof(other));
        }

        Reservoir.Merge(other.Reservoir);
        if (other.ValidCount > 0)
        {
            var total = ValidCount + other.ValidCount;
            var delta = other.Mean - Mean;
            Mean += delta * other.ValidCount / total;
            SumOfSquaredDeviations += other.SumOfSquaredDeviations + (delta * delta * ValidCount * other.ValidCount / total);
            ValidCount = total;
            _min = Math.Min(_min, other._min);
            _max = Math.Max(_max, other._max);
        }

        MissingCount += other.MissingCount;
        NonFiniteCount += other.NonFiniteCount;
        for (var i = 0; i < Histogram.Length; i++)
        {
            Histogram[i] += other.Histogram[i];
        }
    }
}
