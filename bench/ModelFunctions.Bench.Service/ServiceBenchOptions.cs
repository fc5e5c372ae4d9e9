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
        var values = new SwitchValues(args);
        var model = values.Text("model");
        if (model is null || !File.Exists(model))
        {
            throw new ArgumentException("--model <path to an existing .onnx file> is required.");
        }

        var reference = values.Text("reference");
        if (reference is not null && !File.Exists(reference))
        {
            throw new ArgumentException($"--reference '{reference}' does not exist.");
        }

        var options = new ServiceBenchOptions
        {
            ModelPath = model,
            ReferencePath = reference,
            Name = values.Text("name", "model"),
            InputName = values.Text("input", "features"),
            Features = values.Int("features", 4),
            Variants = values.Int("variants", 16),
            Seconds = values.Double("seconds", 3),
            Rounds = values.Int("rounds", 5),
            WarmupRequests = values.Int("warmup-requests", 3000),
        };
        if (options.Features < 1 || options.Variants is < 1 or > 1024 || options.Seconds is <= 0 or > 600
            || options.Rounds is < 1 or > 100 || options.WarmupRequests < 0)
        {
            throw new ArgumentException("Out of range: features >= 1, variants 1..1024, seconds (0, 600], rounds 1..100, warmup-requests >= 0.");
        }

        return options;
    }
}
