using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// What one serving instance accumulates for a categorical feature over a time window: a count per baseline
/// category, an "other" count for values outside them, a missing count. Merges exactly; serializable with
/// System.Text.Json.
/// </summary>
public sealed class CategoricalFeatureWindow
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates an empty window over the given categories.</summary>
    /// <param name="categories">The baseline's categories, distinct.</param>
    public CategoricalFeatureWindow(string[] categories)
        : this(categories, new long[categories?.Length ?? 0], 0, 0)
    {
    }

    /// <summary>Restores a window from its serialized form.</summary>
    /// <param name="categories">Baseline categories.</param>
    /// <param name="counts">Count per category, same order.</param>
    /// <param name="otherCount">Values outside the categories.</param>
    /// <param name="missingCount">Missing values.</param>
    [JsonConstructor]
    public CategoricalFeatureWindow(string[] categories, long[] counts, long otherCount, long missingCount)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length != categories.Length)
        {
            throw new ArgumentException("There must be one count per category.", nameof(counts));
        }

        _index = new Dictionary<string, int>(categories.Length, StringComparer.Ordinal);
        for (var i = 0; i < categories.Length; i++)
        {
            if (!_index.TryAdd(categories[i], i))
            {
                throw new ArgumentException($"Category '{categories[i]}' appears twice.", nameof(categories));
            }
        }

        Categories = categories;
        Counts = counts;
        OtherCount = otherCount;
        MissingCount = missingCount;
    }

    /// <summary>Baseline categories.</summary>
    public string[] Categories { get; }

    /// <summary>Count per category, same order as <see cref="Categories"/>.</summary>
    public long[] Counts { get; }

    /// <summary>Values not among <see cref="Categories"/>.</summary>
    public long OtherCount { get; private set; }

    /// <summary>Missing values.</summary>
    public long MissingCount { get; private set; }

    /// <summary>Non-missing values: the category counts plus <see cref="OtherCount"/>.</summary>
    [JsonIgnore]
    public long ValidCount => Counts.Sum() + OtherCount;

    /// <summary>All observations, missing included.</summary>
    [JsonIgnore]
    public long Count => ValidCount + MissingCount;

    /// <summary>Creates an empty window over a categorical baseline's categories.</summary>
    /// <param name="baseline">A categorical baseline.</param>
    public static CategoricalFeatureWindow ForBaseline(FeatureBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.Kind != FeatureKind.Categorical || baseline.Categories is null)
        {
            throw new ArgumentException("The baseline is not categorical.", nameof(baseline));
        }

        return new CategoricalFeatureWindow(baseline.Categories);
    }

    /// <summary>Adds one observation; null counts as missing.</summary>
    /// <param name="value">The observed category.</param>
    public void Add(string? value)
    {
        if (value is null)
        {
            MissingCount++;
        }
        else if (_index.TryGetValue(value, out var i))
        {
            Counts[i]++;
        }
        else
        {
            OtherCount++;
        }
    }

    /// <summary>What <see cref="IndexOf"/> answers for a value outside the kept categories.</summary>
    internal const int Other = -1;

    /// <summary>An index for <see cref="AddAt"/> that counts a missing value.</summary>
    internal const int Missing = -2;

    /// <summary>A category's index in <see cref="Categories"/>, or <see cref="Other"/>.</summary>
    internal int IndexOf(string value) => _index.TryGetValue(value, out var i) ? i : Other;

    /// <summary>Counts one value by its index from <see cref="IndexOf"/> (or <see cref="Missing"/>), as <see cref="Add(string)"/> would.</summary>
    internal void AddAt(int index)
    {
        switch (index)
        {
            case >= 0:
                Counts[index]++;
                break;
            case Other:
                OtherCount++;
                break;
            default:
                MissingCount++;
                break;
        }
    }

    /// <summary>Adds a number as a category (formatted by <see cref="FeatureBaseline.FormatCategory"/>); NaN and infinities count as missing.</summary>
    /// <param name="value">The observed number.</param>
    public void Add(double value) => Add(double.IsFinite(value) ? FeatureBaseline.FormatCategory(value) : null);

    /// <summary>Counts one missing observation.</summary>
    public void AddMissing() => MissingCount++;

    /// <summary>Current counts in the baseline's layout: one per category, then "other".</summary>
    public double[] CurrentCounts() => Counts.Select(count => (double)count).Append(OtherCount).ToArray();

    /// <summary>Merges another window over the same categories into this one; the other is left unchanged.</summary>
    /// <param name="other">A window over identical categories in the same order.</param>
    public void Merge(CategoricalFeatureWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Categories.AsSpan().SequenceEqual(other.Categories))
        {
            throw new ArgumentException("Windows over different categories cannot be merged.", nameof(other));
        }

        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += other.Counts[i];
        }

        OtherCount += other.OtherCount;
        MissingCount += other.MissingCount;
    }
}
