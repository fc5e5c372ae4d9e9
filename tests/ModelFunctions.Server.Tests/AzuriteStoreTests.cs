using System.Net;
using System.Text;
using ModelFunctions.Server.Tests.Support;
using Xunit.Abstractions;

namespace ModelFunctions.Server.Tests;

/// <summary>The same server over a blob store in Azurite: seeding, registration by scan, inference in both encodings, a swap under load.</summary>
public sealed class AzuriteStoreTests(AzuriteServerFixture server, ITestOutputHelper output) : IClassFixture<AzuriteServerFixture>
{
    [Fact]
    public async Task SampleIsSeededAndServedFromBlobStorage()
    {
        var (status, body) = await Api.PostJsonAsync(server.Client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task DroppedBlobsRegisterThroughTheScanApiAndServeBothEncodings()
    {
        var scan = await server.DropAsync("blob-mlp", 1, "mlp.onnx");
        Assert.Contains("blob-mlp", scan.ToString());
        var (manifestStatus, manifest) = await Api.GetJsonAsync(server.Client, "/api/models/blob-mlp/versions/1");
        Assert.Equal(HttpStatusCode.OK, manifestStatus);
        Assert.Contains("Ready", manifest.ToString(), StringComparison.OrdinalIgnoreCase);

        var row = Enumerable.Range(0, 256).Select(i => i / 256f).ToArray();
        var json = $"{{\"inputs\": [{{\"name\": \"x\", \"shape\": [1, 256], \"datatype\": \"FP32\", \"data\": [{string.Join(",", row.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]}}]}}";
        var (status, body) = await Api.PostJsonAsync(server.Client, "/v2/models/blob-mlp/infer", json);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var viaJson = body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(10, viaJson.Length);

        var header = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 256], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 1024}}], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}]}";
        using var binary = await server.Client.PostAsync("/v2/models/blob-mlp/infer", BinaryBody.Create(header, BinaryBody.Floats(row)));
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        var (_, tensors) = await BinaryBody.ReadAsync(binary);
        var viaBinary = Enumerable.Range(0, 10).Select(i => BitConverter.ToSingle(tensors["y"], i * 4)).ToArray();
        Assert.Equal(viaJson, viaBinary);
    }

    [Fact]
    public async Task RejectedBlobIs404AndTheGoodVersionKeepsServing()
    {
        await server.DropAsync("blob-flaky", 1, "iris.onnx");
        await server.PutAsync("blob-flaky/2/model.onnx", Encoding.UTF8.GetBytes("not a model"));
        await server.ScanAsync();
        Api.AssertError(HttpStatusCode.NotFound, await Api.PostJsonAsync(server.Client, "/v2/models/blob-flaky/versions/2/infer", Api.IrisRequest([Api.IrisRow])));
        var (status, body) = await Api.PostJsonAsync(server.Client, "/v2/models/blob-flaky/infer", Api.IrisRequest([Api.IrisRow]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task ProductionSwapsUnderLoadWithoutAFailedRequest()
    {
        await server.DropAsync("blob-swap", 1, "iris.onnx", "{\"policy\": \"manual\"}");
        await server.DropAsync("blob-swap", 2, "iris.onnx");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(server.Client, "/api/models/blob-swap/promote", "{\"version\": 1}")).Status);
        await server.WaitModelReadyAsync("blob-swap", 1);

        var report = await TrafficTests.SwapUnderLoadAsync(server, "blob-swap", TimeSpan.FromSeconds(3));
        output.WriteLine($"{report.Promotions} promotions, responses by version: {string.Join(", ", report.Versions)}, failures: {report.Failures.Count}");
        Assert.True(report.Failures.IsEmpty, string.Join("\n", report.Failures.Take(10)));
        Assert.True(report.Versions.ContainsKey("1") && report.Versions.ContainsKey("2"), string.Join(", ", report.Versions));
    }
}
