using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Storage;
using ModelFunctions.Functions.Jobs;
using ModelFunctions.Functions.Monitoring;
using ModelFunctions.Functions.Prediction;
using ModelFunctions.Functions.Registry;

namespace ModelFunctions.Functions.Tests.Functions;

/// <summary>
/// The function classes, run through the app's own service registration against Azurite: each answers what the
/// self-hosted server answers for the same call, the blob trigger registers a dropped model, the timers run the checks.
/// </summary>
public sealed class FunctionsAppTests(FunctionsAppFixture fixture) : IClassFixture<FunctionsAppFixture>
{
    private const string IrisRequest = """{"id":"r-1","inputs":[{"name":"features","shape":[2,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}""";

    private IServiceProvider Services => fixture.App.Services;

    [Fact]
    public async Task Infer_AnswersExactlyAsTheServerDoes()
    {
        var function = await FunctionCall.HttpAsync<Infer>(Services, "POST", "/v2/models/iris/infer", IrisRequest, (f, r) => f.Run(r, "iris"));
        var server = await PostAsync("/v2/models/iris/infer", IrisRequest);

        Assert.Equal(200, function.Status);
        Assert.Equal(server, function);
        using var body = JsonDocument.Parse(function.Body);
        Assert.Equal("r-1", body.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("iris", """{"inputs":[{"name":"petals","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""", 400)]
    [InlineData("iris", """{"inputs":[{"name":"features","shape":[1,4],"datatype":"FP32","data":[1,2,3]}]}""", 400)]
    [InlineData("no-such-model", """{"inputs":[]}""", 404)]
    public async Task InferErrors_AnswerTheServersStatusAndErrorBody(string model, string request, int expected)
    {
        var function = await FunctionCall.HttpAsync<Infer>(Services, "POST", $"/v2/models/{model}/infer", request, (f, r) => f.Run(r, model));
        var server = await PostAsync($"/v2/models/{model}/infer", request);

        Assert.Equal(expected, function.Status);
        Assert.Equal(server, function);
        using var body = JsonDocument.Parse(function.Body);
        Assert.False(string.IsNullOrWhiteSpace(body.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task VersionInferAndMetadata_AnswerAsTheServerDoes()
    {
        var infer = await FunctionCall.HttpAsync<InferVersion>(Services, "POST", "/v2/models/iris/versions/1/infer", IrisRequest, (f, r) => f.Run(r, "iris", "1"));
        var metadata = await FunctionCall.HttpAsync<ModelMetadata>(Services, "GET", "/v2/models/iris", null, (f, r) => f.Run(r, "iris"));
        var badVersion = await FunctionCall.HttpAsync<InferVersion>(Services, "POST", "/v2/models/iris/versions/x/infer", IrisRequest, (f, r) => f.Run(r, "iris", "x"));

        Assert.Equal(await PostAsync("/v2/models/iris/versions/1/infer", IrisRequest), infer);
        Assert.Equal(await GetAsync("/v2/models/iris"), metadata);
        Assert.Equal(await PostAsync("/v2/models/iris/versions/x/infer", IrisRequest), badVersion);
        Assert.Equal(404, badVersion.Status);
    }

    [Fact]
    public async Task RegistryReadsAndAdminErrors_AnswerAsTheServerDoes()
    {
        var model = await FunctionCall.HttpAsync<GetModel>(Services, "GET", "/api/models/iris", null, (f, r) => f.Run(r, "iris", CancellationToken.None));
        var missing = await FunctionCall.HttpAsync<GetVersion>(Services, "GET", "/api/models/iris/versions/99", null, (f, r) => f.Run(r, "iris", "99", CancellationToken.None));
        var promote = await FunctionCall.HttpAsync<Promote>(Services, "POST", "/api/models/iris/promote", """{"version": 99}""", (f, r) => f.Run(r, "iris", CancellationToken.None));
        var malformed = await FunctionCall.HttpAsync<Promote>(Services, "POST", "/api/models/iris/promote", """{"version": "one"}""", (f, r) => f.Run(r, "iris", CancellationToken.None));

        Assert.Equal(200, model.Status);
        Assert.Equal(await GetAsync("/api/models/iris"), model);
        Assert.Equal(404, missing.Status);
        Assert.Equal(await GetAsync("/api/models/iris/versions/99"), missing);
        Assert.Equal(await PostAsync("/api/models/iris/promote", """{"version": 99}"""), promote);
        Assert.Equal(await PostAsync("/api/models/iris/promote", """{"version": "one"}"""), malformed);
        Assert.Equal(400, malformed.Status);
    }

    [Fact]
    public async Task BlobTrigger_RegistersTheDroppedModel_WhichBothAppsThenServe()
    {
        var model = "fn-mlp-" + Guid.NewGuid().ToString("N")[..8];
        var blobName = ModelStoreLayout.ModelBlob(model, 1);
        await using (var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "models", "mlp.onnx")))
        {
            await fixture.Store.PutAsync(ModelStoreLayout.ModelsContainer, blobName, file, BlobCondition.None, null, CancellationToken.None);
        }

        // What the host hands the function: a client of the blob that fired the trigger, on the ModelStorage connection.
        var blob = new BlobClient(
            new Uri($"{fixture.Azurite.BlobEndpoint}/{ModelStoreLayout.ModelsContainer}/{blobName}"),
            new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey));
        await FunctionCall.Create<RegisterModelVersion>(Services).Run(blob, model, "1", CancellationToken.None);

        var registered = await FunctionCall.HttpAsync<GetModel>(Services, "GET", $"/api/models/{model}", null, (f, r) => f.Run(r, model, CancellationToken.None));
        Assert.Equal(200, registered.Status);
        Assert.Equal(await GetAsync($"/api/models/{model}"), registered);
        using var summary = JsonDocument.Parse(registered.Body);
        Assert.Equal(1, summary.RootElement.GetProperty("production").GetInt32());

        var row = string.Join(",", Enumerable.Range(0, 256).Select(i => (i / 256.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var request = $$"""{"inputs":[{"name":"x","shape":[1,256],"datatype":"FP32","data":[{{row}}]}]}""";
        var viaFunction = await FunctionCall.HttpAsync<Infer>(Services, "POST", $"/v2/models/{model}/infer", request, (f, r) => f.Run(r, model));
        Assert.Equal(200, viaFunction.Status);
        Assert.Equal(await PostAsync($"/v2/models/{model}/infer", request), viaFunction);

        // Delivered again (the host retries, Event Grid delivers at least once): nothing changes.
        await FunctionCall.Create<RegisterModelVersion>(Services).Run(blob, model, "1", CancellationToken.None);
        Assert.Equal(registered, await FunctionCall.HttpAsync<GetModel>(Services, "GET", $"/api/models/{model}", null, (f, r) => f.Run(r, model, CancellationToken.None)));
    }

    [Fact]
    public async Task BlobTrigger_WithAVersionThatIsNotANumber_IsIgnored_AndRegistersNothing()
    {
        var model = "fn-bad-" + Guid.NewGuid().ToString("N")[..8];
        var blob = new BlobClient(new Uri($"{fixture.Azurite.BlobEndpoint}/models/{model}/latest/model.onnx"), new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey));

        await FunctionCall.Create<RegisterModelVersion>(Services).Run(blob, model, "latest", CancellationToken.None);

        var answer = await FunctionCall.HttpAsync<GetModel>(Services, "GET", $"/api/models/{model}", null, (f, r) => f.Run(r, model, CancellationToken.None));
        Assert.Equal(404, answer.Status);
    }

    [Fact]
    public async Task Timers_FlushWhatTheFunctionsServed_AndWriteTheReports()
    {
        var before = await RequestCountAsync();
        for (var i = 0; i < 5; i++)
        {
            var answer = await FunctionCall.HttpAsync<Infer>(Services, "POST", "/v2/models/iris/infer", IrisRequest, (f, r) => f.Run(r, "iris"));
            Assert.Equal(200, answer.Status);
        }

        await FunctionCall.Create<DriftChecks>(Services).Run(new TimerInfo(), CancellationToken.None);
        await FunctionCall.Create<HealthChecks>(Services).Run(new TimerInfo(), CancellationToken.None);

        var report = await FunctionCall.HttpAsync<GetMonitoringReport>(Services, "GET", "/api/models/iris/monitoring", null, (f, r) => f.Run(r, "iris", CancellationToken.None));
        Assert.Equal(200, report.Status);
        Assert.Equal(await GetAsync("/api/models/iris/monitoring"), report);
        Assert.True(await RequestCountAsync() >= before + 5, report.Body);
    }

    private async Task<long> RequestCountAsync()
    {
        var report = await FunctionCall.HttpAsync<GetMonitoringReport>(Services, "GET", "/api/models/iris/monitoring", null, (f, r) => f.Run(r, "iris", CancellationToken.None));
        if (report.Status != 200)
        {
            return 0;
        }

        using var document = JsonDocument.Parse(report.Body);
        return document.RootElement.GetProperty("versions").EnumerateArray().Sum(v => v.GetProperty("requests").GetProperty("success").GetInt64());
    }

    private async Task<(int Status, string Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await fixture.Server.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await fixture.Server.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
