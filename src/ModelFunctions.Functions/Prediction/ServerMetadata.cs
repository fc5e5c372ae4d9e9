using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v2</c>: server name, version and extensions.</summary>
public sealed class ServerMetadata
{
    [Function(nameof(ServerMetadata))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2")] HttpRequest request) =>
        InferenceApi.ServerMetadata().ExecuteAsync(request.HttpContext);
}
