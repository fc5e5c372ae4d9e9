using System.Net;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary>With keys configured: inference needs the inference (or admin) key, the registry's changes the admin key, health nothing.</summary>
public sealed class ApiKeyTests(KeyedServerFixture server) : IClassFixture<KeyedServerFixture>
{
    [Theory]
    [InlineData("/v2/health/live")]
    [InlineData("/v2/health/ready")]
    public async Task HealthStaysOpen(string path)
    {
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData(KeyedServerFixture.InferenceKey + "x")]
    public async Task InferenceWithoutTheRightKeyIs401(string? key)
    {
        using var client = WithKey(key);
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.PostJsonAsync(client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow])));
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.GetJsonAsync(client, "/v2/models/iris"));
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.GetJsonAsync(client, "/v2"));
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.PostJsonAsync(client, "/v1/models/iris:predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}"));
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.GetJsonAsync(client, "/v1/models/iris"));
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.GetJsonAsync(client, "/api/models"));
    }

    [Theory]
    [InlineData(KeyedServerFixture.InferenceKey)]
    [InlineData(KeyedServerFixture.AdminKey)]
    public async Task InferenceWithAValidKeyIsServed(string key)
    {
        using var client = WithKey(key);
        var (status, _) = await Api.PostJsonAsync(client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(KeyedServerFixture.InferenceKey)]
    public async Task AdminRoutesRefuseAllButTheAdminKey(string? key)
    {
        using var client = WithKey(key);
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.PostJsonAsync(client, "/api/registry/scan", "{}"));
        Api.AssertError(HttpStatusCode.Unauthorized, await Api.PostJsonAsync(client, "/api/models/iris/promote", "{\"version\": 1}"));
        using var content = new StringContent("{\"canaryVersion\": 1, \"canaryPercent\": 5}", System.Text.Encoding.UTF8, "application/json");
        using var traffic = await client.PutAsync("/api/models/iris/traffic", content);
        Assert.Equal(HttpStatusCode.Unauthorized, traffic.StatusCode);
    }

    [Fact]
    public async Task AdminKeyOpensTheAdminRoutes()
    {
        using var client = WithKey(KeyedServerFixture.AdminKey);
        var result = await server.ScanAsync(client);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, result.ValueKind);
        var (status, _) = await Api.PostJsonAsync(client, "/api/models/iris/promote", "{\"version\": 1}");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private HttpClient WithKey(string? key)
    {
        var client = server.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", key);
        }

        return client;
    }
}
