using System.Globalization;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Profile of one feature in the reference (training) data, against which serving windows are compared.
/// Numeric properties are set for <see cref="FeatureKind.Numeric"/>, category properties for
/// <see cref="FeatureKind.Categorical"/>; serializable with System.Text.Json.
/// </summary>
public sealed record FeatureBaseline
{
    /// <summary>Default number of quantile bins.</summary>
    public const int DefaultBins = 10;

    /// <summary>Default size of the kept sorted sample.</summary>
    public const int DefaultSampleCapacity = 1024;

    /// <summary>Default largest number of distinct numbers for which <see cref="Infer(ReadOnlySpan{double}, int, int, int)"/> treats a feature as categorical (Evidently treats numbers with more than 5 as numeric).</summary>
    public const int DefaultMaxCategoricalUniqueValues = 5;

    /// <summary>Default largest number of categories kept by <see cref="FromCategories"/>; rarer ones go to "other".</summary>
    public const int DefaultMaxCategories = 100;

    /// <summary>How the feature is compared.</summary>
    public FeatureKind Kind { get; init; }

    /// <summary>Number of usable reference values (finite numbers, or non-missing categories).</summary>
    public long Count { get; init; }

    /// <summary>Number of missing reference values (NaN or null) and, for numbers, infinities.</summary>
    public long MissingCount { get; init; }

    /// <summary>Numeric: deduplicated quantile bin edges, minimum first and maximum last; [c, c] for a constant feature.</summary>
    public double[]? BinEdges { get; init; }

    /// <summary>Numeric: reference counts over <see cref="BinEdges"/>, underflow first and overflow last (both 0 here).</summary>
    public long[]? Histogram { get; init; }

    /// <summary>Numeric: mean of the reference values.</summary>
    public double Mean { get; init; }

    /// <summary>Numeric: population standard deviation (ddof = 0) of the reference values.</summary>
    public double StandardDeviation { get; init; }

    /// <summary>Numeric: smallest reference value.</summary>
    public double? Min { get; init; }

    /// <summary>Numeric: largest reference value.</summary>
    public double? Max { get; init; }

    /// <summary>
    /// Numeric: sorted sample for the KS test and the Wasserstein distance: every value when they fit the capacity,
    /// else the order statistics at evenly spaced ranks (i + 1/2) n / capacity, a deterministic quantile summary.
    /// </summary>
    public double[]? Sample { get; init; }

    /// <summary>Categorical: the kept categories, most frequent first (ties in ordinal order).</summary>
    public string[]? Categories { get; init; }

    /// <summary>Categorical: reference count per category, same order as <see cref="Categories"/>.</summary>
    public long[]? CategoryCounts { get; init; }

    /// <summary>Categorical: reference values in categories beyond the kept ones.</summary>
    public long OtherCount { get; init; }

    /// <summary>
    /// Builds a numeric baseline: quantile edges (numpy's default linear interpolation) at k / bins, deduplicated,
    /// the reference histogram over them, moments, range and a bounded sorted sample. NaN and infinities are
    /// counted as missing.
    /// </summary>
    /// <param name="values">Reference values.</param>
    /// <param name="bins">Number of quantile bins before deduplication, at least 1.</param>
    /// <param name="sampleCapacity">Size of the kept sorted sample, at least 1.</param>
    /// <exception cref="ArgumentException">No finite value.</exception>
    public static FeatureBaseline FromSample(ReadOnlySpan<double> values, int bins = DefaultBins, int sampleCapacity = DefaultSampleCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCapacity, 1);
        var sorted = new double[values.Length];
        var count = 0;
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                sorted[count++] = value;
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("A numeric baseline needs at least one finite value.", nameof(values));
        }

        var finite = sorted.AsSpan(0, count);
        finite.Sort();

        var edges = QuantileEdges(finite, bins);
        var histogram = new long[HistogramBins.CountLength(edges)];
        var mean = 0.0;
        var m2 = 0.0;
        for (var i = 0; i < finite.Length; i++)
        {
            histogram[HistogramBins.IndexOf(edges, finite[i])]++;
            var delta = finite[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (finite[i] - mean);
        }

        return new FeatureBaseline
        {
            Kind = FeatureKind.Numeric,
            Count = count,
            MissingCount = values.Length - count,
            BinEdges = edges,
            Histogram = histogram,
            Mean = mean,
            StandardDeviation = Math.Sqrt(m2 / count),
            Min = finite[0],
            Max = finite[^1],
            Sample = SpacedSample(finite, sampleCapacity),
        };
    }

    /// <summary>Builds a categorical baseline from values; null counts as missing.</summary>
    /// <param name="values">Reference values.</param>
    /// <param name="maxCategories">Largest number of categories kept, at least 1; the rarest go to <see cref="OtherCount"/>.</param>
    public static FeatureBaseline FromCategories(IEnumerable<string?> values, int maxCategories = DefaultMaxCategories)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCategories, 1);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long missing = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                missing++;
                continue;
            }

            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        var ordered = counts
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .ToArray();
        var kept = ordered.Take(maxCategories).ToArray();
        return new FeatureBaseline
        {
            Kind = FeatureKind.Categorical,
            Count = ordered.Sum(pair => pair.Value),
            MissingCount = missing,
            Categories = kept.Select(pair => pair.Key).ToArray(),
            CategoryCounts = kept.Select(pair => pair.Value).ToArray(),
            OtherCount = ordered.Skip(maxCategories).Sum(pair => pair.Value),
        };
    }

    /// <summary>
    /// Builds a baseline from numbers, choosing the kind: categorical (values formatted with
    /// <see cref="FormatCategory"/>) when there are at most <paramref name="maxCategoricalUniqueValues"/> distinct
    /// finite values, numeric otherwise.
    /// </summary>
    /// <param name="values">Reference values; NaN and infinities are missing.</param>
    /// <param name="maxCategoricalUniqueValues">Largest distinct-value count treated as categorical.</param>
    /// <param name="bins">Quantile bins for a numeric result.</param>
    /// <param name="sampleCapacity">Sorted sample size for a numeric result.</param>
    public static FeatureBaseline Infer(
        ReadOnlySpan<double> values,
        int maxCategoricalUniqueValues = DefaultMaxCategoricalUniqueValues,
        int bins = DefaultBins,
        int sampleCapacity = DefaultSampleCapacity)
    {
        var distinct = new HashSet<double>();
        foreach (var value in values)
        {
            if (double.IsFinite(value) && distinct.Add(value) && distinct.Count > maxCategoricalUniqueValues)
            {
                return FromSample(values, bins, sampleCapacity);
            }
        }

        var categories = new string?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            categories[i] = double.IsFinite(values[i]) ? FormatCategory(values[i]) : null;
        }

        return FromCategories(categories);
    }

    /// <summary>
    /// Builds a baseline from raw text values: categorical when any non-blank value is not a number (invariant
    /// culture), else as <see cref="Infer(ReadOnlySpan{double}, int, int, int)"/>. Null or blank text is missing.
    /// </summary>
    /// <param name="values">Reference values as text.</param>
    /// <param name="maxCategoricalUniqueValues">Largest distinct-value count for numbers to be treated as categorical.</param>
    /// <param name="bins">Quantile bins for a numeric result.</param>
    /// <param name="sampleCapacity">Sorted sample size for a numeric result.</param>
    public static FeatureBaseline Infer(
        IReadOnlyList<string?> values,
        int maxCategoricalUniqueValues = DefaultMaxCategoricalUniqueValues,
        int bins = DefaultBins,
        int sampleCapacity = DefaultSampleCapacity)
    {
        ArgumentNullException.ThrowIfNull(values);
        var numbers = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var text = values[i];
            if (string.IsNullOrWhiteSpace(text))
            {
                numbers[i] = double.NaN;
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return FromCategories(values.Select(value => string.IsNullOrWhiteSpace(value) ? null : value));
            }
        }

        return Infer(numbers, maxCategoricalUniqueValues, bins, sampleCapacity);
    }

    /// <summary>Text form of a number used as a category (shortest round-trip, invariant culture).</summary>
    /// <param name="value">A finite number.</param>
    public static string FormatCategory(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reference counts in the layout windows use: histogram counts (numeric), or per-category counts followed by "other" (categorical).</summary>
    public double[] ReferenceCounts()
    {
        return Kind switch
        {
            FeatureKind.Numeric => (Histogram ?? throw MissingPart(nameof(Histogram))).Select(count => (double)count).ToArray(),
            FeatureKind.Categorical => (CategoryCounts ?? throw MissingPart(nameof(CategoryCounts)))
                .Select(count => (double)count)
                .Append(OtherCount)
                .ToArray(),
            _ => throw new InvalidOperationException($"Unknown feature kind {Kind}."),
        };
    }

    private static InvalidOperationException MissingPart(string name) =>
        new($"The baseline has no {name}; it does not match its kind.");

    private static double[] QuantileEdges(ReadOnlySpan<double> sorted, int bins)
    {
        if (sorted[0] == sorted[^1])
        {
            return [sorted[0], sorted[0]];
        }

        var edges = new List<double>(bins + 1) { sorted[0] };
        for (var k = 1; k < bins; k++)
        {
            var edge = Quantile(sorted, (double)k / bins);
            if (edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        if (sorted[^1] > edges[^1])
        {
            edges.Add(sorted[^1]);
        }

        return edges.ToArray();
    }

    /// <summary>numpy's default ('linear') quantile of sorted data.</summary>
    private static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var fraction = position - below;
        if (below + 1 >= sorted.Length)
        {
            return sorted[^1];
        }

        var low = sorted[below];
        var high = sorted[below + 1];
        return fraction >= 0.5 ? high - ((high - low) * (1 - fraction)) : low + ((high - low) * fraction);
    }

    private static double[] SpacedSample(ReadOnlySpan<double> sorted, int capacity)
    {
        if (sorted.Length <= capacity)
        {
            return sorted.ToArray();
        }

        var sample = new double[capacity];
        for (var i = 0; i < capacity; i++)
        {
            sample[i] = sorted[(int)((i + 0.5) * sorted.Length / capacity)];
        }

        return sample;
    }
}
