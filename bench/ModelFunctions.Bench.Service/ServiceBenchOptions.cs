using System.Globalization;

namespace ModelFunctions.Bench.Service;

/// <summary>Command-line switches of the in-process service benchmark.</summary>
internal sealed class ServiceBenchOptions
{
    public required string ModelPath { get; init; }

    public string? ReferencePath { get; init; }

    public required string Name { get; init; }

    public string InputName { get; init; } = "features";

    public int Features { get; init; } = 4;

    /// <summary>Distinct requests sent in turn, as the load generator's <c>--variants</c>.</summary>
    public int Variants { get; init; } = 16;

    public double Seconds { get; init; } = 3;

    public int Rounds { get; init; } = 5;

    /// <summary>Requests per config before measuring: enough for the capture to learn its baselines (1,000 by default).</summary>
    public int WarmupRequests { get; init; } = 3000;

    public static ServiceBenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (!values.TryGetValue("model", out var model) || !File.Exists(model))
        {
            throw new ArgumentException("--model <path to an existing .onnx file> is required.");
        }

        var reference = values.GetValueOrDefault("reference");
        if (reference is not null && !File.Exists(reference))
        {
            throw new ArgumentException($"--reference '{reference}' does not exist.");
        }

        var options = new ServiceBenchOptions
        {
            ModelPath = model,
            ReferencePath = reference,
            Name = values.GetValueOrDefault("name", "model"),
            InputName = values.GetValueOrDefault("input", "features"),
            Features = Int(values, "features", 4),
            Variants = Int(values, "variants", 16),
            Seconds = double.Parse(values.GetValueOrDefault("seconds", "3"), CultureInfo.InvariantCulture),
            Rounds = Int(values, "rounds", 5),
            WarmupRequests = Int(values, "warmup-requests", 3000),
        };
        if (options.Features < 1 || options.Variants is < 1 or > 1024 || options.Seconds is <= 0 or > 600
            || options.Rounds is < 1 or > 100 || options.WarmupRequests < 0)
        {
            throw new ArgumentException("Out of range: features >= 1, variants 1..1024, seconds (0, 600], rounds 1..100, warmup-requests >= 0.");
        }

        return options;
    }

    private static int Int(Dictionary<string, string> values, string key, int fallback) =>
        values.TryGetValue(key, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
