using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Server.Tests.Support;
using Xunit.Abstractions;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// Dynamic batching on: 32 concurrent clients, each with its own rows, each gets exactly its own rows' results,
/// the same as an in-process ONNX Runtime run of those rows alone; and runs were really merged.
/// </summary>
public sealed class BatchingTests(BatchingServerFixture server, ITestOutputHelper output) : IClassFixture<BatchingServerFixture>
{
    private const int Clients = 32;
    private const int Rounds = 3;

    // Merging needs requests to overlap a run, which HTTP timing decides: on a fast, idle machine a tiny model's run
    // can finish before the next request is parsed. Rounds go on (each checked for correctness) until one merged.
    private const int MaxRounds = 200;

    [Fact]
    public async Task MlpClientsEachGetTheirOwnRowsThroughBinaryRequests()
    {
        await server.EnsureAsync("mlp", 1, "mlp.onnx");
        await server.WaitModelReadyAsync("mlp");
        using var reference = LoadReference("mlp.onnx");
        var random = new Random(11);
        var requests = Enumerable.Range(0, Clients).Select(c => RandomRows(random, 1 + (c % 4), 256)).ToArray();

        for (var round = 0; round < Rounds || (round < MaxRounds && !await MergedAsync("mlp")); round++)
        {
            var answers = await AllAtOnceAsync(requests, async (client, rows) =>
            {
                var flat = rows.SelectMany(r => r).ToArray();
                var header = $"{{\"inputs\": [{{\"name\": \"x\", \"shape\": [{rows.Length}, 256], \"datatype\": \"FP32\", \"parameters\": {{\"binary_data_size\": {flat.Length * 4}}}}}], " +
                    "\"parameters\": {\"binary_data_output\": true}}";
                using var response = await client.PostAsync("/v2/models/mlp/infer", BinaryBody.Create(header, BinaryBody.Floats(flat)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var (json, tensors) = await BinaryBody.ReadAsync(response);
                var y = json.GetProperty("outputs")[0];
                Assert.Equal([(long)rows.Length, 10L], y.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
                return Floats(tensors["y"]);
            });

            for (var c = 0; c < Clients; c++)
            {
                var expected = Run(reference, "x", requests[c], 256)[0].AsSpan<float>().ToArray();
                AssertClose(expected, answers[c], $"client {c.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        await AssertMergedAsync("mlp", Clients * Rounds);
    }

    [Fact]
    public async Task IrisClientsEachGetTheirOwnRowsThroughJsonRequests()
    {
        await server.WaitModelReadyAsync("iris");
        using var reference = LoadReference("iris.onnx");
        var random = new Random(5);
        var requests = Enumerable.Range(0, Clients).Select(c => RandomRows(random, 1 + (c % 3), 4, scale: 7)).ToArray();

        for (var round = 0; round < Rounds || (round < MaxRounds && !await MergedAsync("iris")); round++)
        {
            var answers = await AllAtOnceAsync(requests, async (client, rows) =>
            {
                var (status, body) = await Api.PostJsonAsync(client, "/v2/models/iris/infer", Api.IrisRequest(rows, id: $"rows-{rows.Length}"));
                Assert.True(status == HttpStatusCode.OK, body.ToString());
                return body;
            });

            for (var c = 0; c < Clients; c++)
            {
                var outputs = Run(reference, "features", requests[c], 4).ToDictionary(t => t.Name);
                var got = answers[c].GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("data"));
                AssertClose(outputs["probabilities"].AsSpan<float>().ToArray(), got["probabilities"].EnumerateArray().Select(v => v.GetSingle()).ToArray(), $"client {c.ToString(CultureInfo.InvariantCulture)}");
                Assert.Equal(outputs["label"].AsSpan<long>().ToArray(), got["label"].EnumerateArray().Select(v => v.GetInt64()).ToArray());
            }
        }

        await AssertMergedAsync("iris", Clients * Rounds);
    }

    private async Task<bool> MergedAsync(string model)
    {
        var (executions, success, _) = await CountsAsync(model);
        return executions < success;
    }

    private async Task<(double Executions, double Success, double Inferences)> CountsAsync(string model)
    {
        var metrics = await PrometheusText.ScrapeAsync(server.Client);
        var label = $"model=\"{model}\"";
        return (
            PrometheusText.Sum(metrics, "modelfunctions_inference_exec_count_total", label),
            PrometheusText.Sum(metrics, "modelfunctions_inference_request_success_total", label),
            PrometheusText.Sum(metrics, "modelfunctions_inference_count_total", label));
    }

    private async Task AssertMergedAsync(string model, int requests)
    {
        var (executions, success, inferences) = await CountsAsync(model);
        output.WriteLine($"{model}: {success} requests, {inferences} rows, {executions} executions (mean batch {inferences / executions:F1} rows)");
        Assert.True(success >= requests, $"{success} successes");
        Assert.True(executions < success, $"no request was merged: {executions} executions for {success} requests");
    }

    /// <summary>Starts every client's request together (one connection each) and returns the answers in client order.</summary>
    private async Task<T[]> AllAtOnceAsync<T>(float[][][] requests, Func<HttpClient, float[][], Task<T>> send)
    {
        var clients = requests.Select(_ => server.CreateClient()).ToArray();
        try
        {
            // Open each connection first so the timed requests arrive together.
            await Task.WhenAll(clients.Select(c => c.GetAsync("/v2/health/live")));
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = requests.Select((rows, i) => Task.Run(async () =>
            {
                await gate.Task;
                return await send(clients[i], rows);
            })).ToArray();
            gate.SetResult();
            return await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static OnnxModel LoadReference(string file)
    {
        var engine = new OnnxRuntimeEngine(Options.Create(new OnnxRuntimeOptions()), NullLogger<OnnxRuntimeEngine>.Instance);
        return engine.LoadFile(ServerTestModels.Path(file), file);
    }

    private static IReadOnlyList<NamedTensor> Run(OnnxModel model, string input, float[][] rows, int width) =>
        model.Run([NamedTensor.FromArray(input, TensorDataType.Float32, [rows.Length, width], rows.SelectMany(r => r).ToArray())], null, CancellationToken.None);

    private static float[][] RandomRows(Random random, int count, int width, double scale = 1) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() * scale)).ToArray()).ToArray();

    private static float[] Floats(byte[] bytes)
    {
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }

        return values;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            // Batched and single runs may sum in another order: allow rounding, not another row's value.
            var tolerance = 1e-4f * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what} element {i.ToString(CultureInfo.InvariantCulture)}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
