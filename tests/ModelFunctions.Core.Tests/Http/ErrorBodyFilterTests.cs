using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Http;

/// <summary>Failures escaping a handler, over real HTTP: each answers the protocol's error body, never a bare 500.</summary>
public sealed class ErrorBodyFilterTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var group = _app.MapGroup(string.Empty).AddEndpointFilter(new ErrorBodyFilter());
        group.MapGet("/store-down", string () => throw new BlobStoreException("Blob 'models/x' failed: 500 InternalError", 500));
        group.MapGet("/bad-model", string () => throw new ModelLoadException("Model 'x v1' could not be loaded."));
        group.MapGet("/missing", string () => throw new RegistryException(RegistryErrorKind.NotFound, "Model 'x' has no registered version."));
        group.MapGet("/conflict", string () => throw new RegistryException(RegistryErrorKind.Conflict, "Version 2 changed."));
        group.MapGet("/bug", string () => throw new InvalidOperationException("secret internal detail"));
        group.MapGet("/fine", () => "ok");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    [Theory]
    [InlineData("/store-down", HttpStatusCode.ServiceUnavailable, "model store is unavailable")]
    [InlineData("/bad-model", HttpStatusCode.ServiceUnavailable, "could not be loaded")]
    [InlineData("/missing", HttpStatusCode.NotFound, "no registered version")]
    [InlineData("/conflict", HttpStatusCode.Conflict, "Version 2 changed")]
    public async Task KnownFailures_AnswerTheirStatusWithAnErrorBody(string path, HttpStatusCode status, string fragment)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(fragment, await ErrorOf(response));
    }

    [Fact]
    public async Task UnexpectedFailure_Answers500NamingTheRequestIdWithoutItsDetail()
    {
        using var response = await _client.GetAsync("/bug");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.StartsWith("Internal error; request id ", error);
        Assert.DoesNotContain("secret", error);
    }

    [Fact]
    public async Task Success_PassesThrough()
    {
        Assert.Equal("ok", await _client.GetStringAsync("/fine"));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString()!;
    }
}
