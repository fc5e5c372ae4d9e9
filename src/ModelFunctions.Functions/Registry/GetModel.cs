using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>GET /api/models/{model}</c>.</summary>
public sealed class GetModel(ModelRegistry registry)
{
    [Function(nameof(GetModel))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{model}")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.GetModel(model, registry, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
