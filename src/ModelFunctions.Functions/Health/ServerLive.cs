using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;

namespace ModelFunctions.Functions.Health;

/// <summary><c>GET /v2/health/live</c>: the process is up.</summary>
public sealed class ServerLive
{
    [Function(nameof(ServerLive))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/health/live")] HttpRequest request) =>
        HealthApi.Live().ExecuteAsync(request.HttpContext);
}
