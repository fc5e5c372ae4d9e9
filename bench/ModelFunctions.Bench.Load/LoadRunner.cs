using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace ModelFunctions.Bench.Load;

/// <summary>
/// N workers, one connection each, sending back to back: a warm-up that is not recorded, then a measured phase
/// bounded by time and by request count. Each worker sends the bodies in turn, starting at its own offset. A request
/// counts as an error unless it answers 200.
/// </summary>
internal static class LoadRunner
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    public static async Task<LoadResult> RunAsync(LoadOptions options, RequestBody[] bodies, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        var measureFrom = Stopwatch.GetTimestamp() + Seconds(options.WarmupSeconds);
        var measureUntil = measureFrom + Seconds(options.Seconds);
        var shared = new SharedCounters();
        var workers = new Task<Worker>[options.Connections];
        var raw = bodies.Select(body => RawHttpConnection.BuildPost(options.Url, body)).ToArray();
        for (var i = 0; i < workers.Length; i++)
        {
            var first = i;
            workers[i] = options.UseHttpClient
                ? Task.Run(() => RunWorkerAsync(client, options, bodies, first, measureFrom, measureUntil, shared, cancellationToken), cancellationToken)
                : Task.Run(() => RunRawWorkerAsync(raw, first, options, measureFrom, measureUntil, shared, cancellationToken), cancellationToken);
        }

        var done = await Task.WhenAll(workers).ConfigureAwait(false);
        var latencies = done.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        var errors = done.Sum(w => w.Errors);
        var lastEnd = done.Max(w => w.LastEnd);
        var elapsed = Stopwatch.GetElapsedTime(measureFrom, Math.Max(lastEnd, measureFrom + 1));
        return new LoadResult(
            latencies.Length + errors,
            errors,
            latencies.Length / elapsed.TotalSeconds,
            Milliseconds(Percentile(latencies, 0.50)),
            Milliseconds(Percentile(latencies, 0.99)),
            done.Select(w => w.FirstError).FirstOrDefault(e => e is not null));
    }

    private static async Task<Worker> RunWorkerAsync(
        HttpClient client,
        LoadOptions options,
        RequestBody[] bodies,
        int next,
        long measureFrom,
        long measureUntil,
        SharedCounters shared,
        CancellationToken cancellationToken)
    {
        var worker = new Worker();
        var sink = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            if (start >= measureUntil)
            {
                break;
            }

            var measured = start >= measureFrom;
            if (measured && Interlocked.Increment(ref shared.Started) > options.MaxRequests)
            {
                break;
            }

            var ok = false;
            string? error = null;
            try
            {
                var body = bodies[next++ % bodies.Length];
                using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = Content(body) };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                long total = 0;
                int read;
                while ((read = await stream.ReadAsync(sink, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                ok = response.StatusCode == HttpStatusCode.OK && total > 0;
                error = ok ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = ex.GetType().Name + ": " + ex.Message;
            }

            var end = Stopwatch.GetTimestamp();
            if (!measured)
            {
                continue;
            }

            worker.LastEnd = end;
            if (ok)
            {
                worker.Latencies.Add(end - start);
            }
            else
            {
                worker.Errors++;
                worker.FirstError ??= error;
            }
        }

        return worker;
    }

    private static async Task<Worker> RunRawWorkerAsync(
        byte[][] requests,
        int next,
        LoadOptions options,
        long measureFrom,
        long measureUntil,
        SharedCounters shared,
        CancellationToken cancellationToken)
    {
        var worker = new Worker();
        RawHttpConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                if (start >= measureUntil)
                {
                    break;
                }

                var measured = start >= measureFrom;
                if (measured && Interlocked.Increment(ref shared.Started) > options.MaxRequests)
                {
                    break;
                }

                var ok = false;
                string? error = null;
                try
                {
                    connection ??= await RawHttpConnection.OpenAsync(options.Url, cancellationToken).ConfigureAwait(false);
                    var request = requests[next++ % requests.Length];
                    var (status, length) = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    ok = status == 200 && length > 0;
                    error = ok ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {status}");
                    if (connection.Closed)
                    {
                        connection.Dispose();
                        connection = null;
                    }
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException && !cancellationToken.IsCancellationRequested)
                {
                    error = ex.GetType().Name + ": " + ex.Message;
                    connection?.Dispose();
                    connection = null;
                }

                var end = Stopwatch.GetTimestamp();
                if (!measured)
                {
                    continue;
                }

                worker.LastEnd = end;
                if (ok)
                {
                    worker.Latencies.Add(end - start);
                }
                else
                {
                    worker.Errors++;
                    worker.FirstError ??= error;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }

        return worker;
    }

    private static ByteArrayContent Content(RequestBody body)
    {
        var content = new ByteArrayContent(body.Content);
        if (body.HeaderLength is { } headerLength)
        {
            content.Headers.ContentType = OctetStream;
            content.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", headerLength.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            content.Headers.ContentType = Json;
        }

        return content;
    }

    private static long Seconds(double seconds) => (long)(seconds * Stopwatch.Frequency);

    private static long Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed class SharedCounters
    {
        public long Started;
    }

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(capacity: 1 << 14);

        public long Errors { get; set; }

        public long LastEnd { get; set; }

        public string? FirstError { get; set; }
    }
}
