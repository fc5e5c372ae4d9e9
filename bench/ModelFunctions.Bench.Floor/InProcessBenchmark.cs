using System.Diagnostics;

namespace ModelFunctions.Bench.Floor;

/// <summary>
/// The absolute floor: <c>InferenceSession.Run</c> in a loop on one thread, timed per call with Stopwatch.
/// Bounded by time and by call count.
/// </summary>
internal static class InProcessBenchmark
{
    public static InProcessResult Run(FloorSession session, int rows, TimeSpan duration, long maxCalls)
    {
        var shape = new long[] { rows, session.Features };
        var data = new float[rows * session.Features];
        var random = new Random(42);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }

        // Warm-up: first runs allocate ORT's arenas and JIT the managed path.
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            session.Run(data, shape).Dispose();
        }

        var latencies = new List<long>(capacity: 1 << 16);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var now = started;
        while (now < deadline && latencies.Count < maxCalls)
        {
            using (session.Run(data, shape))
            {
            }

            var after = Stopwatch.GetTimestamp();
            latencies.Add(after - now);
            now = after;
        }

        var elapsed = Stopwatch.GetElapsedTime(started, now);
        latencies.Sort();
        return new InProcessResult(
            latencies.Count,
            latencies.Count / elapsed.TotalSeconds,
            TicksToMs(Percentile(latencies, 0.50)),
            TicksToMs(Percentile(latencies, 0.99)));
    }

    private static long Percentile(List<long> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
