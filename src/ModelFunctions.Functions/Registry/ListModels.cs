using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>GET /api/models</c>.</summary>
public sealed class ListModels(ModelRegistry registry)
{
    [Function(nameof(ListModels))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.ListModels(registry, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
