using System.Diagnostics;

namespace ModelFunctions.Bench.Floor;

/// <summary>
/// The absolute floor: <c>InferenceSession.Run</c> in a loop on each of <c>concurrency</c> threads sharing one session
/// (Run is thread-safe), timed per call with Stopwatch. Bounded by time and by call count.
/// </summary>
internal static class InProcessBenchmark
{
    public static InProcessResult Run(FloorSession session, int rows, int concurrency, TimeSpan duration, long maxCalls)
    {
        var shape = new long[] { rows, session.Features };
        var inputs = Enumerable.Range(0, concurrency).Select(t =>
        {
            var random = new Random(42 + t);
            var data = new float[rows * session.Features];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (float)random.NextDouble();
            }

            return data;
        }).ToArray();

        // Warm-up: first runs allocate ORT's arenas and JIT the managed path.
        RunAll(session, inputs, shape, TimeSpan.FromSeconds(1), long.MaxValue);
        var (latencies, elapsed) = RunAll(session, inputs, shape, duration, Math.Max(1, maxCalls / concurrency));
        latencies.Sort();
        return new InProcessResult(
            latencies.Count,
            latencies.Count / elapsed.TotalSeconds,
            TicksToMs(Percentile(latencies, 0.50)),
            TicksToMs(Percentile(latencies, 0.99)));
    }

    private static (List<long> Latencies, TimeSpan Elapsed) RunAll(FloorSession session, float[][] inputs, long[] shape, TimeSpan duration, long maxCallsEach)
    {
        var perThread = inputs.Select(_ => new List<long>(capacity: 1 << 14)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var threads = inputs.Select((data, t) => new Thread(() =>
        {
            var latencies = perThread[t];
            var now = Stopwatch.GetTimestamp();
            while (now < deadline && latencies.Count < maxCallsEach)
            {
                using (session.Run(data, shape))
                {
                }

                var after = Stopwatch.GetTimestamp();
                latencies.Add(after - now);
                now = after;
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return (perThread.SelectMany(l => l).ToList(), elapsed);
    }

    private static long Percentile(List<long> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
