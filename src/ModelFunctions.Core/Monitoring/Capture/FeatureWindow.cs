using System.Text.Json.Serialization;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// One feature's statistics in a window: numeric (baseline bins, range, missing, reservoir) or categorical
/// (counts per baseline category and "other"). Serializable with System.Text.Json.
/// </summary>
public sealed class FeatureWindow
{
    /// <summary>Feature name (see the naming rule on <see cref="FeatureNaming"/>).</summary>
    public required string Name { get; init; }

    /// <summary>Whether the feature is a model output (prediction drift) rather than an input.</summary>
    public bool IsOutput { get; init; }

    /// <summary>Statistics of a numeric feature, or null.</summary>
    public NumericFeatureWindow? Numeric { get; init; }

    /// <summary>Statistics of a categorical feature, or null.</summary>
    public CategoricalFeatureWindow? Categorical { get; init; }

    /// <summary>Observations counted (missing included).</summary>
    [JsonIgnore]
    public long Count => Numeric?.Count ?? Categorical?.Count ?? 0;

    /// <summary>Whether <paramref name="other"/> was built over the same baseline (same kind and bins or categories).</summary>
    /// <param name="other">Another window of the same feature.</param>
    public bool IsCompatibleWith(FeatureWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Numeric is not null && other.Numeric is not null)
        {
            return Numeric.BinEdges.AsSpan().SequenceEqual(other.Numeric.BinEdges);
        }

        return Categorical is not null && other.Categorical is not null
            && Categorical.Categories.AsSpan().SequenceEqual(other.Categorical.Categories);
    }

    /// <summary>Merges a compatible window of the same feature into this one; the other is left unchanged.</summary>
    /// <param name="other">A window for which <see cref="IsCompatibleWith"/> holds.</param>
    public void Merge(FeatureWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!IsCompatibleWith(other))
        {
            throw new ArgumentException($"Feature '{Name}': windows over different baselines cannot be merged.", nameof(other));
        }

        if (Numeric is not null)
        {
            Numeric.Merge(other.Numeric!);
        }
        else
        {
            Categorical!.Merge(other.Categorical!);
        }
    }
}
