using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>The registry API over real HTTP (Kestrel on a free loopback port) on the folder store.</summary>
public sealed class RegistryApiTests : IAsyncLifetime
{
    private const string AdminHeader = "x-test-admin";
    private readonly string _root = Directory.CreateTempSubdirectory("mf-registry-api-").FullName;
    private WebApplication? _app;
    private HttpClient? _http;
    private FileSystemBlobStore? _store;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["ModelFunctions:Registration:StableFor"] = "00:00:00";
        builder.Configuration["ModelFunctions:Registration:WorkFolder"] = Path.Combine(_root, "work");
        _store = new FileSystemBlobStore(Path.Combine(_root, "store"), NullLogger<FileSystemBlobStore>.Instance);
        builder.Services.AddSingleton<IBlobStore>(_store);
        builder.Services.AddModelRegistry(builder.Configuration);
        _app = builder.Build();
        var api = _app.MapRegistryApi();
        api.Admin.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers.ContainsKey(AdminHeader) ? await next(context) : Results.Unauthorized());
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        _http.DefaultRequestHeaders.Add(AdminHeader, "yes");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Api_ScanListInspectPromoteTrafficRollback_OverHttp()
    {
        await DropAsync("iris", 1, TestModels.Bytes("iris.onnx"));
        await DropAsync("iris", 2, TestModels.Bytes("iris.onnx"));
        await DropAsync("iris", 3, Encoding.UTF8.GetBytes("not a model at all"));

        using var scan = await Http.PostAsync("/api/registry/scan", null);
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
        var scanBody = await Json(scan);
        Assert.Equal(3, scanBody.GetProperty("registrations").GetArrayLength());

        var models = await Json(await Http.GetAsync("/api/models"));
        var iris = Assert.Single(models.EnumerateArray());
        Assert.Equal("iris", iris.GetProperty("model").GetString());
        Assert.Equal(2, iris.GetProperty("production").GetInt32());
        Assert.Equal(3, iris.GetProperty("versions").GetArrayLength());

        var rejected = await Json(await Http.GetAsync("/api/models/iris/versions/3"));
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("format", rejected.GetProperty("failedStage").GetString());
        Assert.False(string.IsNullOrEmpty(rejected.GetProperty("reason").GetString()));
        var ready = await Json(await Http.GetAsync("/api/models/iris/versions/1"));
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("features", ready.GetProperty("inputs")[0].GetProperty("name").GetString());

        await AssertErrorAsync(await Http.GetAsync("/api/models/iris/versions/9"), HttpStatusCode.NotFound, "version 9");
        await AssertErrorAsync(await Http.GetAsync("/api/models/iris/versions/01"), HttpStatusCode.BadRequest, "version");
        await AssertErrorAsync(await Http.GetAsync("/api/models/nothing"), HttpStatusCode.NotFound, "nothing");
        await AssertErrorAsync(await Http.GetAsync("/api/models/Bad.Name"), HttpStatusCode.BadRequest, "model");

        var promoted = await Json(await Http.PostAsJsonAsync("/api/models/iris/promote", new { version = 1 }));
        Assert.Equal(1, promoted.GetProperty("production").GetInt32());
        await AssertErrorAsync(await Http.PostAsJsonAsync("/api/models/iris/promote", new { version = 3 }), HttpStatusCode.Conflict, "rejected");
        await AssertErrorAsync(await Http.PostAsJsonAsync("/api/models/iris/promote", new { }), HttpStatusCode.BadRequest, "version");
        await AssertErrorAsync(await Http.PostAsync("/api/models/iris/promote", new StringContent("{\"version\": \"x\"", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed");

        var traffic = await Json(await Http.PutAsJsonAsync("/api/models/iris/traffic", new { canaryVersion = 2, canaryPercent = 20 }));
        Assert.Equal(2, traffic.GetProperty("canary").GetInt32());
        Assert.Equal(20, traffic.GetProperty("canaryPercent").GetInt32());
        await AssertErrorAsync(await Http.PutAsJsonAsync("/api/models/iris/traffic", new { canaryVersion = 2, canaryPercent = 150 }), HttpStatusCode.BadRequest, "canaryPercent");

        var rolledBack = await Json(await Http.PostAsync("/api/models/iris/rollback", null));
        Assert.Equal(2, rolledBack.GetProperty("production").GetInt32());
        Assert.Equal(JsonValueKind.Null, rolledBack.GetProperty("canary").ValueKind);
        var history = rolledBack.GetProperty("history");
        Assert.Equal("rollback", history[history.GetArrayLength() - 1].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Api_AdminGroup_TakesTheHostsFilterAndReadGroupDoesNot()
    {
        using var anonymous = new HttpClient { BaseAddress = Http.BaseAddress };

        using var list = await anonymous.GetAsync("/api/models");
        using var scan = await anonymous.PostAsync("/api/registry/scan", null);
        using var rollback = await anonymous.PostAsync("/api/models/iris/rollback", null);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, scan.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rollback.StatusCode);
    }

    private async Task DropAsync(string model, int version, byte[] content)
    {
        await _store!.EnsureContainerAsync(ModelStoreLayout.ModelsContainer, CancellationToken.None);
        using var stream = new MemoryStream(content);
        await _store.PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob(model, version), stream, BlobCondition.None, null, CancellationToken.None);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(status, response.StatusCode);
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString();
            Assert.Contains(messagePart, error, StringComparison.Ordinal);
        }
    }
}
