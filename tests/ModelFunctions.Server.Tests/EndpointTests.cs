using System.Net;
using System.Text.Json;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary>Every route of the prediction API on the seeded sample model (iris) over real HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class EndpointTests(ServerFixture server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task HealthLiveAndReadyAnswer200()
    {
        using var live = await Client.GetAsync("/v2/health/live");
        using var ready = await Client.GetAsync("/v2/health/ready");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task ServerMetadataAdvertisesBinaryTensorData()
    {
        var (status, body) = await Api.GetJsonAsync(Client, "/v2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.Contains("binary_tensor_data", body.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/v2/models/iris")]
    [InlineData("/v2/models/iris/versions/1")]
    public async Task ModelMetadataDescribesTheSignature(string path)
    {
        var (status, body) = await Api.GetJsonAsync(Client, path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("iris", body.GetProperty("name").GetString());
        Assert.Equal("onnx_onnxv1", body.GetProperty("platform").GetString());
        Assert.Contains("1", body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        var input = Assert.Single(body.GetProperty("inputs").EnumerateArray());
        Assert.Equal("features", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 4L], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var outputs = body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal("FP32", outputs["probabilities"].GetProperty("datatype").GetString());
        Assert.Equal([-1L, 3L], outputs["probabilities"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("INT64", outputs["label"].GetProperty("datatype").GetString());
    }

    [Theory]
    [InlineData("/v2/models/iris/ready")]
    [InlineData("/v2/models/iris/versions/1/ready")]
    public async Task ModelReadyAnswers200ForTheLoadedModel(string path)
    {
        await server.WaitModelReadyAsync("iris");
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v2/models/iris/infer")]
    [InlineData("/v2/models/iris/versions/1/infer")]
    public async Task InferReturnsProbabilitiesAndLabels(string path)
    {
        var json = Api.IrisRequest([Api.IrisRow, [6.7f, 3.0f, 5.2f, 2.3f]], id: "req-42");
        var (status, body) = await Api.PostJsonAsync(Client, path, json);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("iris", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("req-42", body.GetProperty("id").GetString());
        var outputs = body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        var probabilities = outputs["probabilities"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(6, probabilities.Length);
        Assert.Equal(1.0, probabilities[..3].Sum(), 3);
        Assert.Equal(1.0, probabilities[3..].Sum(), 3);
        var labels = outputs["label"].GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        // A setosa-like row and a virginica-like row fall in different classes.
        Assert.Equal(0, labels[0]);
        Assert.Equal(2, labels[1]);
    }

    [Fact]
    public async Task InferWithOutputSelectionReturnsOnlyThatOutput()
    {
        var json = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [[5.1, 3.5, 1.4, 0.2]]}], \"outputs\": [{\"name\": \"label\"}]}";
        var (status, body) = await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json);
        Assert.Equal(HttpStatusCode.OK, status);
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("label", output.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/v1/models/iris:predict")]
    [InlineData("/v1/models/iris/versions/1:predict")]
    public async Task V1PredictWithInstancesAnswersPredictions(string path)
    {
        var (status, body) = await Api.PostJsonAsync(Client, path, "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}");
        Assert.Equal(HttpStatusCode.OK, status);
        var predictions = body.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(2, predictions.Length);
        Assert.Equal(0, predictions[0].GetProperty("label").GetInt64());
        Assert.Equal(2, predictions[1].GetProperty("label").GetInt64());
        Assert.Equal(3, predictions[0].GetProperty("probabilities").GetArrayLength());
    }

    [Fact]
    public async Task V1PredictWithColumnarInputsAnswersOutputs()
    {
        var (status, body) = await Api.PostJsonAsync(Client, "/v1/models/iris:predict", "{\"inputs\": [[5.1, 3.5, 1.4, 0.2]]}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("outputs", out var outputs), body.ToString());
        var text = outputs.ToString();
        Assert.Contains("label", text);
        Assert.Contains("probabilities", text);
    }

    [Theory]
    [InlineData("/v1/models/iris")]
    [InlineData("/v1/models/iris/versions/1")]
    public async Task V1StatusListsTheAvailableVersion(string path)
    {
        await server.WaitModelReadyAsync("iris");
        var (status, body) = await Api.GetJsonAsync(Client, path);
        Assert.Equal(HttpStatusCode.OK, status);
        var versions = body.GetProperty("model_version_status").EnumerateArray().ToArray();
        var v1 = Assert.Single(versions, v => v.GetProperty("version").GetString() == "1");
        Assert.Equal("AVAILABLE", v1.GetProperty("state").GetString());
    }

    [Fact]
    public async Task RegistryReadApiListsTheSampleModel()
    {
        var (status, body) = await Api.GetJsonAsync(Client, "/api/models");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("iris", body.ToString());
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
    }
}
