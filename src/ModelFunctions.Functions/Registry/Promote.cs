using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>POST /api/models/{model}/promote</c> (admin).</summary>
public sealed class Promote(ModelRegistry registry)
{
    [Function(nameof(Promote))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/models/{model}/promote")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.Promote(model, request, registry, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
