using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>POST /api/models/{model}/rollback</c> (admin).</summary>
public sealed class Rollback(ModelRegistry registry)
{
    [Function(nameof(Rollback))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/models/{model}/rollback")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.Rollback(model, request, registry, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
