using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using ModelFunctions.Server.Tests.Support;
using Xunit.Abstractions;

namespace ModelFunctions.Server.Tests;

/// <summary>Canary splits and production swaps, over real sockets.</summary>
[Collection(ServerCollection.Name)]
public sealed class TrafficTests(ServerFixture server, ITestOutputHelper output)
{
    private const int Requests = 2000;

    [Fact]
    public async Task CanaryPolicyServesItsShareAndRequestIdsStickToOneVersion()
    {
        await server.EnsureAsync("canary", 1, "iris.onnx", "{\"policy\": \"canary\", \"canaryPercent\": 20}");
        await server.EnsureAsync("canary", 2, "iris.onnx");
        await server.WaitModelReadyAsync("canary", 2);

        // With request ids (hashed to a bucket) and without (a random draw): both near 20 %.
        var withIds = await CountVersionsAsync("canary", i => $"client-{i}");
        var withoutIds = await CountVersionsAsync("canary", _ => null);
        output.WriteLine($"with ids: {string.Join(", ", withIds)}; without: {string.Join(", ", withoutIds)}");
        AssertShare(0.20, withIds);
        AssertShare(0.20, withoutIds);

        // Stickiness: the same id always lands on the same version.
        for (var client = 0; client < 20; client++)
        {
            var seen = new HashSet<string>();
            for (var repeat = 0; repeat < 10; repeat++)
            {
                seen.Add(await InferAsync(server.Client, "canary", $"sticky-{client}"));
            }

            Assert.Single(seen);
        }
    }

    [Fact]
    public async Task TrafficApiSetsTheCanaryShare()
    {
        await server.EnsureAsync("split", 1, "iris.onnx", "{\"policy\": \"manual\"}");
        await server.EnsureAsync("split", 2, "iris.onnx");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(server.Client, "/api/models/split/promote", "{\"version\": 1}")).Status);
        using (var content = new StringContent("{\"canaryVersion\": 2, \"canaryPercent\": 20}", Encoding.UTF8, "application/json"))
        using (var response = await server.Client.PutAsync("/api/models/split/traffic", content))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await server.WaitModelReadyAsync("split", 2);
        await Task.Delay(100); // past the state refresh interval
        AssertShare(0.20, await CountVersionsAsync("split", i => $"caller-{i}"));
    }

    [Fact]
    public async Task ProductionSwapsUnderLoadWithoutAFailedRequest()
    {
        await server.EnsureAsync("swap", 1, "iris.onnx", "{\"policy\": \"manual\"}");
        await server.EnsureAsync("swap", 2, "iris.onnx");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(server.Client, "/api/models/swap/promote", "{\"version\": 1}")).Status);
        await server.WaitModelReadyAsync("swap", 1);

        var report = await SwapUnderLoadAsync(server, "swap", TimeSpan.FromSeconds(3));
        output.WriteLine($"{report.Promotions} promotions, responses by version: {string.Join(", ", report.Versions)}, failures: {report.Failures.Count}");
        Assert.True(report.Failures.IsEmpty, string.Join("\n", report.Failures.Take(10)));
        Assert.True(report.Versions.ContainsKey("1") && report.Versions.ContainsKey("2"), string.Join(", ", report.Versions));
        Assert.True(report.Promotions >= 4, $"only {report.Promotions} promotions");
    }

    [Fact]
    public async Task SwapWithEvictionAndBatchingLosesNoRequest()
    {
        // A cache budget below one model's size: each swap unloads the old version while requests may still use it.
        await using var tight = new ConfiguredServerFixture(
            new("ModelFunctions:Serving:CacheBudgetBytes", "1048576"),
            new("ModelFunctions:Batching:Enabled", "true"));
        await tight.InitializeAsync();
        await tight.DropAsync("evict", 1, "mlp.onnx", "{\"policy\": \"manual\"}");
        await tight.DropAsync("evict", 2, "mlp.onnx");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(tight.Client, "/api/models/evict/promote", "{\"version\": 1}")).Status);
        await tight.WaitModelReadyAsync("evict", 1);

        var row = string.Join(",", Enumerable.Range(0, 256).Select(i => (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var body = $"{{\"inputs\": [{{\"name\": \"x\", \"shape\": [1, 256], \"datatype\": \"FP32\", \"data\": [{row}]}}]}}";
        var report = await SwapUnderLoadAsync(tight, "evict", TimeSpan.FromSeconds(3), body);
        output.WriteLine($"{report.Promotions} promotions, responses by version: {string.Join(", ", report.Versions)}, failures: {report.Failures.Count}");
        Assert.True(report.Failures.IsEmpty, string.Join("\n", report.Failures.Take(10)));
        Assert.True(report.Versions.ContainsKey("1") && report.Versions.ContainsKey("2"), string.Join(", ", report.Versions));
    }

    [Fact]
    public async Task ConcurrentFirstRequestsToAColdModelAllSucceed()
    {
        await server.DropAsync("cold", 1, "mlp.onnx");
        var row = string.Join(",", Enumerable.Range(0, 256).Select(_ => "0.5"));
        var body = $"{{\"inputs\": [{{\"name\": \"x\", \"shape\": [1, 256], \"datatype\": \"FP32\", \"data\": [{row}]}}]}}";
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            return await Api.PostJsonAsync(client, "/v2/models/cold/infer", body);
        })));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, a.Body.ToString()));
        var first = answers[0].Body.GetProperty("outputs")[0].GetProperty("data").ToString();
        Assert.All(answers, a => Assert.Equal(first, a.Body.GetProperty("outputs")[0].GetProperty("data").ToString()));
    }

    /// <summary>Several clients infer continuously while production flips between v1 and v2 every 300 ms.</summary>
    internal static async Task<SwapReport> SwapUnderLoadAsync(ServerFixture server, string model, TimeSpan duration, string? requestBody = null)
    {
        var failures = new ConcurrentQueue<string>();
        var versions = new ConcurrentDictionary<string, int>();
        var stopwatch = Stopwatch.StartNew();
        var body = requestBody ?? Api.IrisRequest([Api.IrisRow]);
        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            while (stopwatch.Elapsed < duration)
            {
                try
                {
                    var (status, answer) = await Api.PostJsonAsync(client, $"/v2/models/{model}/infer", body);
                    if (status != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)status}: {answer}");
                        continue;
                    }

                    versions.AddOrUpdate(answer.GetProperty("model_version").GetString()!, 1, (_, n) => n + 1);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    failures.Enqueue(ex.Message);
                }
            }
        })).ToArray();

        var promotions = 0;
        using var admin = server.CreateClient();
        while (stopwatch.Elapsed < duration - TimeSpan.FromMilliseconds(300))
        {
            await Task.Delay(300);
            var target = promotions % 2 == 0 ? 2 : 1;
            var (status, answer) = await Api.PostJsonAsync(admin, $"/api/models/{model}/promote", $"{{\"version\": {target}}}");
            Assert.True(status == HttpStatusCode.OK, answer.ToString());
            promotions++;
        }

        await Task.WhenAll(clients);
        return new SwapReport(failures, versions, promotions);
    }

    private async Task<Dictionary<string, int>> CountVersionsAsync(string model, Func<int, string?> id)
    {
        var counts = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var version = await InferAsync(server.Client, model, id(i));
            counts.AddOrUpdate(version, 1, (_, n) => n + 1);
        });
        return new Dictionary<string, int>(counts);
    }

    private static async Task<string> InferAsync(HttpClient client, string model, string? id)
    {
        var (status, body) = await Api.PostJsonAsync(client, $"/v2/models/{model}/infer", Api.IrisRequest([Api.IrisRow], id));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        if (id is not null)
        {
            Assert.Equal(id, body.GetProperty("id").GetString());
        }

        return body.GetProperty("model_version").GetString()!;
    }

    private static void AssertShare(double expected, Dictionary<string, int> counts)
    {
        // Binomial standard deviation over 2,000 draws at 20 % is 0.9 points; 3.5 of them either side.
        var total = counts.Values.Sum();
        Assert.Equal(Requests, total);
        var share = counts.GetValueOrDefault("2") / (double)total;
        var tolerance = 3.5 * Math.Sqrt(expected * (1 - expected) / total);
        Assert.True(Math.Abs(share - expected) <= tolerance, $"canary share {share:P1}, expected {expected:P0} +/- {tolerance:P1} ({string.Join(", ", counts)})");
    }
}
