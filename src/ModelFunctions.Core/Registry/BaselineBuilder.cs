namespace ModelFunctions.Core.Registry;

/// <summary>Turns reference.csv into the drift baseline document stored beside the manifest.</summary>
internal static class BaselineBuilder
{
    /// <summary>Most reference rows read.</summary>
    public const int MaxRows = 1_000_000;

    /// <exception cref="InvalidDataException">The file is not usable reference data.</exception>
    public static async Task<byte[]> BuildAsync(string path, CancellationToken cancellationToken)
    {
        var csv = await ReferenceCsv.ReadAsync(path, MaxRows, cancellationToken).ConfigureAwait(false);
        return RegistryJson.Serialize(new { features = csv.Names, rows = csv.Rows });
    }
}
