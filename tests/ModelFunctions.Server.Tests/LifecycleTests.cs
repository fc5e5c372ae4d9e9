using System.Diagnostics;
using System.Net;
using ModelFunctions.Server.Tests.Support;
using Xunit.Abstractions;

namespace ModelFunctions.Server.Tests;

/// <summary>A request timeout and a graceful stop, each on a server of its own, with large mlp requests (12,000 rows each).</summary>
public sealed class LifecycleTests(ITestOutputHelper output)
{
    private const int Rows = 12_000;

    private static readonly KeyValuePair<string, string>[] LargeBodies =
    [
        new("ModelFunctions:Limits:MaxBodyBytes", (16 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("ModelFunctions:Limits:MaxElementsPerTensor", "4000000"),
    ];

    [Fact]
    public async Task RunPastTheRequestTimeoutIs504AndTheServerKeepsServing()
    {
        await using var server = await StartAsync([.. LargeBodies, new("ModelFunctions:Serving:RequestTimeout", "00:00:00.001")]);
        using var content = LargeMlpRequest();
        using var response = await server.Client.PostAsync("/v2/models/mlp/infer", content);
        var answer = (response.StatusCode, await Api.ReadAsync(response));
        Assert.Contains("did not answer within", Api.AssertError(HttpStatusCode.GatewayTimeout, answer));

        // The model was not poisoned by the terminated run: a small request still works, within 1 ms of run time.
        var served = false;
        for (var attempt = 0; attempt < 20 && !served; attempt++)
        {
            served = (await Api.PostJsonAsync(server.Client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]))).Status == HttpStatusCode.OK;
        }

        Assert.True(served);
    }

    [Fact]
    public async Task BodyOverKestrelsDefaultLimitButUnderTheConfiguredOneIsServed()
    {
        // Kestrel refuses bodies over 30,000,000 bytes unless told otherwise; the configured limit must win.
        const int LargeRows = 32_000;
        await using var server = await StartAsync(
        [
            new("ModelFunctions:Limits:MaxBodyBytes", (48 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("ModelFunctions:Limits:MaxElementsPerTensor", "16000000"),
        ]);
        using var content = LargeMlpRequest(LargeRows);
        Assert.True(content.Headers.ContentLength > 30_000_000);
        using var response = await server.Client.PostAsync("/v2/models/mlp/infer", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, tensors) = await BinaryBody.ReadAsync(response);
        Assert.Equal(LargeRows * 10 * 4, tensors["y"].Length);
    }

    [Fact]
    public async Task InFlightRequestsCompleteWhenTheHostStops()
    {
        var server = await StartAsync(LargeBodies);
        try
        {
            var bodies = Enumerable.Range(0, 4).Select(_ => LargeMlpRequest()).ToArray();
            var clients = bodies.Select(_ => server.CreateClient()).ToArray();
            var stopwatch = Stopwatch.StartNew();
            var inFlight = bodies.Select((body, i) => clients[i].PostAsync("/v2/models/mlp/infer", body)).ToArray();

            // Stop once the server is running inferences (bodies read), as Ctrl-C would.
            using var scraper = server.CreateClient();
            while (PrometheusText.Sum(await PrometheusText.ScrapeAsync(scraper), "modelfunctions_inference_pending", "model=\"mlp\"") < 1)
            {
                Assert.False(inFlight.All(t => t.IsCompleted), "the requests finished before the stop");
            }

            server.RequestStop();
            var stopRequested = stopwatch.ElapsedMilliseconds;
            var responses = await Task.WhenAll(inFlight);
            output.WriteLine($"stop requested after {stopRequested} ms, last answer after {stopwatch.ElapsedMilliseconds} ms");
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var (header, tensors) = await BinaryBody.ReadAsync(response);
                Assert.Equal([(long)Rows, 10L], header.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
                Assert.Equal(Rows * 10 * 4, tensors["y"].Length);
                response.Dispose();
            }

            // New connections are refused once the host has stopped.
            await Task.Delay(300);
            using var late = server.CreateClient();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => late.GetAsync("/v2/health/live"));
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<ConfiguredServerFixture> StartAsync(KeyValuePair<string, string>[] settings)
    {
        var server = new ConfiguredServerFixture(settings);
        await server.InitializeAsync();
        await server.DropAsync("mlp", 1, "mlp.onnx");
        await server.WaitModelReadyAsync("mlp");
        await server.WaitModelReadyAsync("iris");
        return server;
    }

    private static ByteArrayContent LargeMlpRequest(int rows = Rows)
    {
        var random = new Random(3);
        var values = new float[rows * 256];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        var header = $"{{\"inputs\": [{{\"name\": \"x\", \"shape\": [{rows}, 256], \"datatype\": \"FP32\", \"parameters\": {{\"binary_data_size\": {values.Length * 4}}}}}], " +
            "\"parameters\": {\"binary_data_output\": true}}";
        return BinaryBody.Create(header, BinaryBody.Floats(values));
    }
}
