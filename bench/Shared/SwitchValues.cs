using System.Globalization;

namespace ModelFunctions.Bench;

/// <summary>
/// <c>--name value</c> pairs from a bench tool's command line, read as invariant-culture numbers. Linked into the
/// load generator and the service harness.
/// </summary>
internal sealed class SwitchValues
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public SwitchValues(string[] args)
    {
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            _values[args[i][2..]] = args[i + 1];
        }
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
