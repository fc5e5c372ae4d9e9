using System.Diagnostics;
using System.Globalization;
using ModelFunctions.Bench;
using ModelFunctions.Bench.Service;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

// InferenceService.InferAsync in a loop on one thread, monitoring capture on ("batching-off", the server's defaults)
// and off ("capture-off"), interleaved over rounds. Prints one JSON line per config and round: requests, rps,
// p50_ms, p99_ms, bytes allocated and process CPU time per request (CPU time, unlike wall time, does not count the
// moments another tenant of a shared machine holds the core).
//   --model <onnx> --name iris --input features --features 4 [--reference reference.csv] [--seconds 3 --rounds 5]
var options = ServiceBenchOptions.Parse(args);
using var cts = new CancellationTokenSource(TimeSpan.FromSeconds((options.Seconds * options.Rounds * 2) + 300));
var requests = Enumerable.Range(0, options.Variants).Select(i => Request(options, variant: i)).ToArray();

var configs = new (string Name, ServiceUnderTest Service)[]
{
    ("batching-off", await ServiceUnderTest.StartAsync(options, capture: true, cts.Token)),
    ("capture-off", await ServiceUnderTest.StartAsync(options, capture: false, cts.Token)),
};
try
{
    foreach (var (_, service) in configs)
    {
        // The first request starts loading the baselines in the background; the capture records features once
        // they are in, and learns the missing ones from the requests after that.
        await service.Inference.InferAsync(options.Name, null, requests[0], cts.Token);
        await Task.Delay(500, cts.Token);
        for (var i = 1; i < options.WarmupRequests; i++)
        {
            await service.Inference.InferAsync(options.Name, null, requests[i % requests.Length], cts.Token);
        }
    }

    for (var round = 0; round < options.Rounds; round++)
    {
        foreach (var (name, service) in round % 2 == 0 ? configs : configs.Reverse())
        {
            var line = await MeasureAsync(service, name, round);
            Console.WriteLine(line);
        }
    }
}
finally
{
    foreach (var (_, service) in configs)
    {
        await service.DisposeAsync();
    }
}

async Task<string> MeasureAsync(ServiceUnderTest service, string name, int round)
{
    var inference = service.Inference;
    var latencies = new List<long>(capacity: 1 << 18);
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var cpuBefore = Environment.CpuUsage.TotalTime;
    var started = Stopwatch.GetTimestamp();
    var deadline = started + (long)(options.Seconds * Stopwatch.Frequency);
    var now = started;
    var next = 0;
    while (now < deadline)
    {
        await inference.InferAsync(options.Name, null, requests[next++ % requests.Length], cts.Token);
        var after = Stopwatch.GetTimestamp();
        latencies.Add(after - now);
        now = after;
    }

    // Process-wide: the loop may resume on another thread (a routing state refresh reads the store), and little
    // else runs in this process meanwhile.
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
    var elapsed = Stopwatch.GetElapsedTime(started, now);
    latencies.Sort();
    return string.Create(CultureInfo.InvariantCulture,
        $"{{\"config\":\"{name}\",\"round\":{round},\"requests\":{latencies.Count},\"errors\":0,\"rps\":{latencies.Count / elapsed.TotalSeconds:F1},"
        + $"\"p50_ms\":{Milliseconds(latencies, 0.50):F4},\"p99_ms\":{Milliseconds(latencies, 0.99):F4},\"bytes_per_request\":{(double)allocated / latencies.Count:F0},"
        + $"\"cpu_us_per_request\":{cpu.TotalMicroseconds / latencies.Count:F2}}}");
}

static double Milliseconds(List<long> sorted, double q) =>
    sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)] * 1000.0 / Stopwatch.Frequency;

// The load generator's values (InputValues), one [1, features] FP32 input per variant.
static InferenceRequest Request(ServiceBenchOptions options, int variant) =>
    new(null, null, [NamedTensor.FromArray(options.InputName, TensorDataType.Float32, [1, options.Features], InputValues.Create(options.Features, variant))], null);
