using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Registry;

/// <summary>Turns reference.csv into the drift baseline stored beside the manifest.</summary>
internal static class BaselineBuilder
{
    /// <summary>Most reference rows read.</summary>
    public const int MaxRows = 1_000_000;

    /// <exception cref="InvalidDataException">The file is not usable reference data.</exception>
    /// <param name="model">Model name.</param>
    /// <param name="version">Version number.</param>
    /// <param name="path">The reference.csv file.</param>
    /// <param name="bins">Quantile bins per numeric feature.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<ModelBaseline> BuildAsync(string model, int version, string path, int bins, CancellationToken cancellationToken)
    {
        var csv = await ReferenceCsv.ReadAsync(path, MaxRows, cancellationToken).ConfigureAwait(false);
        var features = new Dictionary<string, FeatureBaseline>(StringComparer.Ordinal);
        for (var c = 0; c < csv.Names.Count; c++)
        {
            var name = csv.Names[c];
            try
            {
                features[name] = csv.Numeric[c] is { } numbers
                    ? FeatureBaseline.FromSample(numbers, bins)
                    : FeatureBaseline.FromCategories(csv.Text[c].Select(v => v.Length == 0 ? null : v));
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"reference.csv column '{name}' gives no baseline: {ex.Message}", ex);
            }
        }

        return new ModelBaseline(model, version, csv.Rows, csv.Names, features);
    }
}
