using System.Globalization;

namespace ModelFunctions.Bench.Floor;

/// <summary>Command-line switches of the floor app; unknown switches are left to ASP.NET Core (for --urls).</summary>
internal sealed class FloorOptions
{
    public string ModelPath { get; private init; } = string.Empty;

    public bool InProcess { get; private init; }

    public int Rows { get; private init; } = 1;

    public double Seconds { get; private init; } = 5;

    public long MaxCalls { get; private init; } = 10_000_000;

    /// <summary>Runs at once on the one session (in-process mode), each on a thread of its own.</summary>
    public int Concurrency { get; private init; } = 1;

    public static FloorOptions Parse(string[] args)
    {
        string? model = null;
        var inProcess = false;
        var rows = 1;
        var seconds = 5.0;
        var maxCalls = 10_000_000L;
        var concurrency = 1;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model":
                    model = Next(args, ref i);
                    break;
                case "--in-process":
                    inProcess = true;
                    break;
                case "--rows":
                    rows = int.Parse(Next(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    seconds = double.Parse(Next(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--max-calls":
                    maxCalls = long.Parse(Next(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--concurrency":
                    concurrency = int.Parse(Next(args, ref i), CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (model is null || !File.Exists(model))
        {
            throw new ArgumentException("--model <path to an existing .onnx file> is required.");
        }

        if (rows < 1 || seconds <= 0 || seconds > 600 || maxCalls < 1 || concurrency is < 1 or > 64)
        {
            throw new ArgumentException("--rows must be >= 1, --seconds in (0, 600], --max-calls >= 1, --concurrency 1 to 64.");
        }

        return new FloorOptions { ModelPath = model, InProcess = inProcess, Rows = rows, Seconds = seconds, MaxCalls = maxCalls, Concurrency = concurrency };
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }

        return args[++i];
    }
}
