using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;

namespace ModelFunctions.Functions.Health;

/// <summary><c>GET /v2/health/ready</c>: the start-up warmup has run.</summary>
public sealed class ServerReady(ServerReadiness readiness)
{
    [Function(nameof(ServerReady))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/health/ready")] HttpRequest request) =>
        HealthApi.Ready(readiness).ExecuteAsync(request.HttpContext);
}
