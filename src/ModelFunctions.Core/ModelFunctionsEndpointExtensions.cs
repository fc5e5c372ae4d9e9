using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Monitoring.Reports;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core;

/// <summary>
/// Maps every HTTP route of ModelFunctions with its key requirement: health open, prediction behind the
/// inference key, registry changes behind the admin key.
/// </summary>
public static class ModelFunctionsEndpointExtensions
{
    /// <summary>Maps health, prediction, registry, monitoring and metrics routes.</summary>
    public static IEndpointRouteBuilder MapModelFunctions(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Every route answers failures with the protocol's {"error": "..."} body, never a bare 500.
        var root = endpoints.MapGroup(string.Empty).AddEndpointFilter(new ErrorBodyFilter());
        MapRoutes(root);
        return endpoints;
    }

    private static void MapRoutes(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthApi();
        endpoints.MapInferenceApi().RequireApiKey(ApiKeyRole.Inference);
        var registry = endpoints.MapRegistryApi();
        registry.Read.RequireApiKey(ApiKeyRole.Inference);
        registry.Admin.RequireApiKey(ApiKeyRole.Admin);
        var monitoring = endpoints.MapMonitoringApi();
        monitoring.Read.RequireApiKey(ApiKeyRole.Inference);
        monitoring.Admin.RequireApiKey(ApiKeyRole.Admin);
        endpoints.MapMetricsApi();
    }
}
