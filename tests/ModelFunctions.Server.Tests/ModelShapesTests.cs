using System.Net;
using System.Text;
using System.Text.Json;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary>Models beyond the sample over HTTP: several inputs of mixed types, scalar outputs, strings, full metadata.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelShapesTests(ServerFixture server)
{
    [Fact]
    public async Task MultiInputModelComputesFromEveryInputAndReturnsAScalar()
    {
        await server.EnsureAsync("multi", 1, "multi_input.onnx");
        var json = "{\"inputs\": [" +
            "{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [[1, 2, 3], [4, 5, 6]]}," +
            "{\"name\": \"scale\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [2]}," +
            "{\"name\": \"offset\", \"shape\": [2, 3], \"datatype\": \"INT32\", \"data\": [1, 1, 1, 0, 0, 0]}," +
            "{\"name\": \"mask\", \"shape\": [2, 3], \"datatype\": \"BOOL\", \"data\": [true, false, true, false, true, true]}]}";
        var (status, body) = await Api.PostJsonAsync(server.Client, "/v2/models/multi/infer", json);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var outputs = body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal([3f, 0f, 7f, 0f, 10f, 12f], outputs["y"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(0, outputs["count"].GetProperty("shape").GetArrayLength());
        Assert.Equal(4, outputs["count"].GetProperty("data").EnumerateArray().Single().GetInt64());
    }

    [Fact]
    public async Task StringModelAnswersV1InstancesRowByRow()
    {
        await server.EnsureAsync("text", 1, "string_input.onnx");
        var (status, body) = await Api.PostJsonAsync(server.Client, "/v1/models/text:predict", "{\"instances\": [\"yes\", \"no\", \"h\u00e9\"]}");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var predictions = body.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(3, predictions.Length);
        Assert.Equal("yes", predictions[0].GetProperty("echo").GetString());
        Assert.True(predictions[0].GetProperty("is_yes").GetBoolean());
        Assert.False(predictions[1].GetProperty("is_yes").GetBoolean());
        Assert.Equal("h\u00e9", predictions[2].GetProperty("echo").GetString());
    }

    [Fact]
    public async Task StringModelTakesBinaryBytesElements()
    {
        await server.EnsureAsync("text", 1, "string_input.onnx");
        var elements = new[] { "yes", string.Empty, "\u65e5\u672c" }.Select(Encoding.UTF8.GetBytes).ToArray();
        var raw = elements.SelectMany(e => BitConverter.GetBytes(e.Length).Concat(e)).ToArray();
        var header = $"{{\"inputs\": [{{\"name\": \"text\", \"shape\": [3], \"datatype\": \"BYTES\", \"parameters\": {{\"binary_data_size\": {raw.Length}}}}}]}}";
        using var response = await server.Client.PostAsync("/v2/models/text/infer", BinaryBody.Create(header, raw));
        var body = await Api.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var outputs = body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(["yes", string.Empty, "\u65e5\u672c"], outputs["echo"].GetProperty("data").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([true, false, false], outputs["is_yes"].GetProperty("data").EnumerateArray().Select(v => v.GetBoolean()));
    }

    [Fact]
    public async Task MetadataListsEveryDatatypeOfTheIdentityModel()
    {
        await server.EnsureAsync("identity", 1, "identity_all_types.onnx");
        var (status, body) = await Api.GetJsonAsync(server.Client, "/v2/models/identity/versions/1");
        Assert.Equal(HttpStatusCode.OK, status);
        var inputs = body.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.GetProperty("datatype").GetString());
        Assert.Equal(14, inputs.Count);
        Assert.Equal("BF16", inputs["in_bf16"]);
        Assert.Equal("FP16", inputs["in_fp16"]);
        Assert.Equal("BYTES", inputs["in_bytes"]);
        Assert.Equal("UINT64", inputs["in_uint64"]);
        Assert.All(body.GetProperty("outputs").EnumerateArray(), o =>
            Assert.Equal([-1L, -1L], o.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())));
        Assert.Equal(JsonValueKind.Array, body.GetProperty("versions").ValueKind);
    }
}
