using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ModelFunctions.Server.Tests.Support;
using Xunit.Abstractions;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// The server while its blob store (a real Azurite, stopped and started again on the same port) is away: loaded
/// versions go on serving without a failed request, and an admin change either happens or does not, and says which.
/// </summary>
public sealed class StoreOutageTests(OutageServerFixture server, ITestOutputHelper output) : IClassFixture<OutageServerFixture>
{
    [Fact]
    public async Task LoadedVersions_KeepServingThroughAnOutage_WithoutAFailedRequest()
    {
        await server.WaitModelReadyAsync("iris");
        var failures = new ConcurrentQueue<string>();
        var served = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var phase = "before";
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                var current = Volatile.Read(ref phase);
                try
                {
                    var (status, body) = await Api.PostJsonAsync(client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]));
                    if (status == HttpStatusCode.OK)
                    {
                        served.AddOrUpdate(current, 1, (_, n) => n + 1);
                    }
                    else
                    {
                        failures.Enqueue($"{current}: {(int)status} {body}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue($"{current}: {ex.Message}");
                }
            }
        })).ToList();

        await Task.Delay(1000);
        await server.Azurite.StopAsync();
        Volatile.Write(ref phase, "outage");
        // Longer than the store client's retries and several state refreshes: the server knows the store is gone.
        await Task.Delay(7000);
        Volatile.Write(ref phase, "restarting");
        await server.Azurite.StartAsync();
        Volatile.Write(ref phase, "after");
        await Task.Delay(1500);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"served: {string.Join(", ", served)}; failures: {failures.Count}");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.True(served.GetValueOrDefault("outage") > 100, $"only {served.GetValueOrDefault("outage")} requests during the outage");
        Assert.True(served.GetValueOrDefault("after") > 0);
    }

    [Fact]
    public async Task PromoteDuringAnOutage_Answers503AndDoesNotHappen_ThenHappensOnceTheStoreIsBack()
    {
        await server.EnsureAsync("outage-promote", 1, "iris.onnx", "{\"policy\": \"manual\"}");
        await server.EnsureAsync("outage-promote", 2, "iris.onnx");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(server.Client, "/api/models/outage-promote/promote", "{\"version\": 1}")).Status);

        await server.Azurite.StopAsync();
        (HttpStatusCode Status, JsonElement Body) refused;
        try
        {
            refused = await Api.PostJsonAsync(server.Client, "/api/models/outage-promote/promote", "{\"version\": 2}");
        }
        finally
        {
            await server.Azurite.StartAsync();
        }

        var message = Api.AssertError(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Contains("model store is unavailable", message);
        Assert.Equal(1, await ProductionAsync("outage-promote"));

        var accepted = await Api.PostJsonAsync(server.Client, "/api/models/outage-promote/promote", "{\"version\": 2}");
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(2, accepted.Body.GetProperty("production").GetInt32());
        Assert.Equal(2, await ProductionAsync("outage-promote"));
    }

    [Fact]
    public async Task PromoteDuringAShortOutage_IsRetriedByTheClient_AndHappens()
    {
        await server.EnsureAsync("outage-blip", 1, "iris.onnx", "{\"policy\": \"manual\"}");
        await server.EnsureAsync("outage-blip", 2, "iris.onnx");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(server.Client, "/api/models/outage-blip/promote", "{\"version\": 1}")).Status);

        await server.Azurite.StopAsync();
        var clock = Stopwatch.StartNew();
        var restart = Task.Run(async () =>
        {
            await Task.Delay(200);
            await server.Azurite.StartAsync();
        });
        var answer = await Api.PostJsonAsync(server.Client, "/api/models/outage-blip/promote", "{\"version\": 2}");
        await restart;

        output.WriteLine($"promote answered {(int)answer.Status} after {clock.ElapsedMilliseconds} ms");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToString());
        Assert.Equal(2, await ProductionAsync("outage-blip"));
        Assert.Single(HistoryOf(answer.Body), change => change == "promote:2");
    }

    private async Task<int?> ProductionAsync(string model)
    {
        var state = await StateAsync(model);
        return state.TryGetProperty("production", out var production) && production.ValueKind == JsonValueKind.Number ? production.GetInt32() : null;
    }

    private async Task<JsonElement> StateAsync(string model)
    {
        var (status, body) = await Api.GetJsonAsync(server.Client, $"/api/models/{model}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private static IEnumerable<string> HistoryOf(JsonElement summary) =>
        summary.GetProperty("history").EnumerateArray().Select(h => $"{h.GetProperty("action").GetString()}:{h.GetProperty("to")}");
}
