namespace ModelFunctions.Bench.Load;

/// <summary>Command-line switches of the load generator.</summary>
internal sealed class LoadOptions
{
    public required Uri Url { get; init; }

    public int Connections { get; init; } = 1;

    public double Seconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 2;

    /// <summary>Stop after this many measured requests even when time remains.</summary>
    public long MaxRequests { get; init; } = 5_000_000;

    public BodyKind Body { get; init; } = BodyKind.Json;

    public string InputName { get; init; } = "features";

    public int Rows { get; init; } = 1;

    public int Features { get; init; } = 4;

    /// <summary>
    /// Distinct bodies sent in turn (default 16): live traffic varies, and a server that learns its monitoring baseline
    /// from the first requests would see every feature as one constant category if every body were the same.
    /// </summary>
    public int Variants { get; init; } = 16;

    /// <summary>Raw keep-alive sockets (default: the least client CPU) or HttpClient (<c>--client httpclient</c>).</summary>
    public bool UseHttpClient { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var values = new SwitchValues(args);
        if (values.Text("url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("--url <absolute URL> is required.");
        }

        var options = new LoadOptions
        {
            Url = uri,
            Connections = values.Int("connections", 1),
            Seconds = values.Double("seconds", 10),
            WarmupSeconds = values.Double("warmup", 2),
            MaxRequests = (long)values.Double("requests", 5_000_000),
            Body = values.Text("body") == "binary" ? BodyKind.Binary : BodyKind.Json,
            InputName = values.Text("input", "features"),
            Rows = values.Int("rows", 1),
            Features = values.Int("features", 4),
            Variants = values.Int("variants", 16),
            UseHttpClient = values.Text("client", "raw") switch
            {
                "raw" => false,
                "httpclient" => true,
                var other => throw new ArgumentException($"--client is raw or httpclient, not '{other}'."),
            },
        };
        if (options.Connections is < 1 or > 1024 || options.Seconds is <= 0 or > 3600 || options.WarmupSeconds is < 0 or > 600
            || options.MaxRequests < 1 || options.Rows < 1 || options.Features < 1 || options.Variants is < 1 or > 1024)
        {
            throw new ArgumentException("Out of range: connections 1..1024, seconds (0, 3600], warmup [0, 600], requests >= 1, rows and features >= 1, variants 1..1024.");
        }

        return options;
    }
}
