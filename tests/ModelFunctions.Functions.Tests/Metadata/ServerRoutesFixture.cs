extern alias server;

using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelFunctions.Functions.Tests.Metadata;

/// <summary>The self-hosted server's route table, read from the running server's own endpoint data source.</summary>
public sealed class ServerRoutesFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-routes-").FullName;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<server::Program>? _factory;

    /// <summary>Every (verb, route) the server maps, with its endpoint tags.</summary>
    public IReadOnlyList<ServerRoute> Routes { get; private set; } = [];

    public Task InitializeAsync()
    {
        _factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<server::Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ModelFunctions:Store", Path.Combine(_root, "store"));
            builder.UseSetting("ModelFunctions:Serving:CacheFolder", Path.Combine(_root, "cache"));
            builder.UseSetting("ModelFunctions:Registration:WorkFolder", Path.Combine(_root, "work"));
            builder.UseSetting("ModelFunctions:Monitoring:RunSchedules", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        Routes = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(verb => new ServerRoute(
                    verb.ToLowerInvariant(),
                    endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).ToHashSet())))
            .ToList();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
