using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>PUT /api/models/{model}/traffic</c> (admin).</summary>
public sealed class SetTraffic(ModelRegistry registry)
{
    [Function(nameof(SetTraffic))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "api/models/{model}/traffic")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.SetTraffic(model, request, registry, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
