using System.Net;
using System.Text;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary>Every error status of the prediction API, each with a <c>{"error": "..."}</c> body naming what is wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorStatusTests(ServerFixture server)
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task UnknownInputIs400NamingIt()
    {
        var json = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}," +
            " {\"name\": \"petal_colour\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}";
        var message = Api.AssertError(HttpStatusCode.BadRequest, await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json));
        Assert.Contains("petal_colour", message);
    }

    [Fact]
    public async Task MissingInputIs400NamingIt()
    {
        await server.EnsureAsync("multi", 1, "multi_input.onnx");
        var json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}," +
            " {\"name\": \"scale\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [2]}," +
            " {\"name\": \"offset\", \"shape\": [1, 3], \"datatype\": \"INT32\", \"data\": [1, 1, 1]}]}";
        var message = Api.AssertError(HttpStatusCode.BadRequest, await Api.PostJsonAsync(Client, "/v2/models/multi/infer", json));
        Assert.Contains("mask", message);
    }

    [Fact]
    public async Task DatatypeMismatchIs400NamingTheInput()
    {
        var json = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]}]}";
        var message = Api.AssertError(HttpStatusCode.BadRequest, await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json));
        Assert.Contains("features", message);
        Assert.Contains("FP64", message);
    }

    [Fact]
    public async Task ShapeMismatchIs400NamingTheInput()
    {
        var json = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 5], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5]}]}";
        var message = Api.AssertError(HttpStatusCode.BadRequest, await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json));
        Assert.Contains("features", message);
    }

    [Fact]
    public async Task ElementCountNotMatchingTheShapeIs400()
    {
        var json = "{\"inputs\": [{\"name\": \"features\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}";
        var message = Api.AssertError(HttpStatusCode.BadRequest, await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json));
        Assert.Contains("features", message);
    }

    [Fact]
    public async Task NonFiniteInputIs400WhenTheModelForbidsIt()
    {
        await server.EnsureAsync("strict", 1, "iris.onnx", "{\"rejectNonFinite\": true}");
        var header = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 16}}]}";
        using var strict = await Client.PostAsync("/v2/models/strict/infer", BinaryBody.Create(header, BinaryBody.Floats(1, float.NaN, 3, 4)));
        var message = Api.AssertError(HttpStatusCode.BadRequest, (strict.StatusCode, await Api.ReadAsync(strict)));
        Assert.Contains("features", message);

        // The same finite request is served, and the sample model (no such setting) accepts the NaN.
        using var finite = await Client.PostAsync("/v2/models/strict/infer", BinaryBody.Create(header, BinaryBody.Floats(1, 2, 3, 4)));
        Assert.Equal(HttpStatusCode.OK, finite.StatusCode);
        using var lenient = await Client.PostAsync("/v2/models/iris/infer", BinaryBody.Create(header, BinaryBody.Floats(1, float.NaN, 3, 4)));
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
    }

    [Theory]
    [InlineData("/v2/models/no-such-model/infer")]
    [InlineData("/v2/models/iris/versions/9/infer")]
    [InlineData("/v2/models/iris/versions/latest/infer")]
    [InlineData("/v1/models/no-such-model:predict")]
    public async Task UnknownModelOrVersionIs404(string path)
    {
        Api.AssertError(HttpStatusCode.NotFound, await Api.PostJsonAsync(Client, path, Api.IrisRequest([Api.IrisRow])));
    }

    [Theory]
    [InlineData("/v2/models/no-such-model")]
    [InlineData("/v2/models/iris/versions/9")]
    [InlineData("/v1/models/no-such-model")]
    public async Task MetadataOfUnknownModelOrVersionIs404(string path)
    {
        Api.AssertError(HttpStatusCode.NotFound, await Api.GetJsonAsync(Client, path));
    }

    [Fact]
    public async Task RejectedVersionIs404WithTheReason()
    {
        await server.EnsureAsync("flaky", 1, "iris.onnx");
        using (var manifest = await Client.GetAsync("/api/models/flaky/versions/2"))
        {
            if (manifest.StatusCode != HttpStatusCode.OK)
            {
                await server.PutAsync("flaky/2/model.onnx", Encoding.UTF8.GetBytes("this is not an ONNX model"));
                await server.ScanAsync();
            }
        }

        var message = Api.AssertError(HttpStatusCode.NotFound, await Api.PostJsonAsync(Client, "/v2/models/flaky/versions/2/infer", Api.IrisRequest([Api.IrisRow])));
        Assert.Contains("rejected", message);

        // Version 1 still serves.
        var (status, body) = await Api.PostJsonAsync(Client, "/v2/models/flaky/infer", Api.IrisRequest([Api.IrisRow]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task BodyOverTheLimitIs413()
    {
        // The fixture allows 1 MiB.
        var rows = Enumerable.Range(0, 80_000).Select(_ => Api.IrisRow).ToArray();
        var json = Api.IrisRequest(rows);
        Assert.True(json.Length > 1 << 20);
        Api.AssertError(HttpStatusCode.RequestEntityTooLarge, await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json));
        Api.AssertError(HttpStatusCode.RequestEntityTooLarge, await Api.PostJsonAsync(Client, "/v1/models/iris:predict", "{\"instances\": [" + string.Join(",", rows.Select(_ => "[5.1,3.5,1.4,0.2]")) + "]}"));
    }

    [Fact]
    public async Task TensorOverTheElementLimitIs400Or413()
    {
        // The fixture allows 1,000,000 elements per tensor; the shape alone claims more.
        var json = "{\"inputs\": [{\"name\": \"features\", \"shape\": [300000, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}";
        var answer = await Api.PostJsonAsync(Client, "/v2/models/iris/infer", json);
        Assert.True(answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, answer.ToString());
        Assert.Contains("features", Api.AssertError(answer.Status, answer));
    }

    [Fact]
    public async Task TextPlainIs415()
    {
        Api.AssertError(HttpStatusCode.UnsupportedMediaType, await Api.PostJsonAsync(Client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]), "text/plain"));
    }

    [Fact]
    public async Task MissingContentTypeIsReadAsJson()
    {
        var (status, body) = await Api.PostJsonAsync(Client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]), contentType: null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task ModelWithoutProductionIs503AndNotReadyWhilePinnedVersionServes()
    {
        await server.EnsureAsync("manual", 1, "iris.onnx", "{\"policy\": \"manual\"}");
        Api.AssertError(HttpStatusCode.ServiceUnavailable, await Api.PostJsonAsync(Client, "/v2/models/manual/infer", Api.IrisRequest([Api.IrisRow])));
        using var ready = await Client.GetAsync("/v2/models/manual/ready");
        Assert.Equal(HttpStatusCode.BadRequest, ready.StatusCode);

        var (status, body) = await Api.PostJsonAsync(Client, "/v2/models/manual/versions/1/infer", Api.IrisRequest([Api.IrisRow]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task MalformedRequestDoesNotPoisonTheModel()
    {
        for (var i = 0; i < 20; i++)
        {
            await Api.PostJsonAsync(Client, "/v2/models/iris/infer", "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, \"x\", 4]}]}");
        }

        var (status, body) = await Api.PostJsonAsync(Client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "label").GetProperty("data")[0].GetInt64());
    }
}
