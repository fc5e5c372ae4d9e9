using System.Globalization;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Reads reference.csv: a header row naming the features, then one row per example. Columns whose every
/// non-empty value is a number are numeric; the others are kept as text. Quoted fields are not supported.
/// </summary>
internal sealed class ReferenceCsv
{
    private ReferenceCsv(IReadOnlyList<string> names, IReadOnlyList<double[]?> numeric, IReadOnlyList<string[]> text, int rows)
    {
        Names = names;
        Numeric = numeric;
        Text = text;
        Rows = rows;
    }

    /// <summary>Column names from the header row.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Per column: the values when the column is numeric (empty cells skipped), else null.</summary>
    public IReadOnlyList<double[]?> Numeric { get; }

    /// <summary>Per column: the raw cells.</summary>
    public IReadOnlyList<string[]> Text { get; }

    /// <summary>Number of data rows.</summary>
    public int Rows { get; }

    /// <exception cref="InvalidDataException">No header, duplicate or empty names, or a row of the wrong width.</exception>
    public static async Task<ReferenceCsv> ReadAsync(string path, int maxRows, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new InvalidDataException("reference.csv has no header row.");
        }

        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                throw new InvalidDataException($"reference.csv header column {i + 1} is empty.");
            }

            if (Array.IndexOf(names, names[i], 0, i) >= 0)
            {
                throw new InvalidDataException($"reference.csv header names column '{names[i]}' twice.");
            }
        }

        var cells = names.Select(_ => new List<string>()).ToArray();
        var line = 1;
        var rows = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var parts = text.Split(',');
            if (parts.Length != names.Length)
            {
                throw new InvalidDataException($"reference.csv line {line} has {parts.Length} columns; the header has {names.Length}.");
            }

            if (rows == maxRows)
            {
                break;
            }

            for (var c = 0; c < parts.Length; c++)
            {
                cells[c].Add(parts[c].Trim());
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new InvalidDataException("reference.csv has no data rows.");
        }

        var numeric = new double[]?[names.Length];
        for (var c = 0; c < names.Length; c++)
        {
            numeric[c] = TryNumeric(cells[c]);
        }

        return new ReferenceCsv(names, numeric, cells.Select(c => c.ToArray()).ToArray(), rows);
    }

    private static double[]? TryNumeric(List<string> cells)
    {
        var values = new List<double>(cells.Count);
        foreach (var cell in cells)
        {
            if (cell.Length == 0)
            {
                continue;
            }

            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            values.Add(value);
        }

        return values.Count == 0 ? null : values.ToArray();
    }
}
