using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ModelFunctions.Core.Http;

/// <summary>
/// Server liveness and readiness (Open Inference Protocol): answered by status code alone, never behind a key.
/// </summary>
public static class HealthApi
{
    /// <summary>Maps <c>GET /v2/health/live</c> and <c>GET /v2/health/ready</c>.</summary>
    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v2/health").WithTags("Health");
        group.MapGet("/live", Live);
        group.MapGet("/ready", Ready);
        return group;
    }

    /// <summary>The process is up.</summary>
    public static Ok Live() => TypedResults.Ok();

    /// <summary>The server has finished starting and can serve.</summary>
    public static Results<Ok, StatusCodeHttpResult> Ready(ServerReadiness readiness) =>
        readiness.IsReady ? TypedResults.Ok() : TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
}
