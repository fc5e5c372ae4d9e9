using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>GET /api/models/{model}/versions/{version}</c>: the manifest.</summary>
public sealed class GetVersion(ModelRegistry registry)
{
    [Function(nameof(GetVersion))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{model}/versions/{version}")] HttpRequest request,
        string model,
        string version,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.GetVersion(model, version, registry, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
