using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Functions.Registry;

/// <summary><c>POST /api/registry/scan</c> (admin): registers every dropped model not yet registered.</summary>
public sealed class ScanRegistry(ModelRegistrar registrar)
{
    [Function(nameof(ScanRegistry))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/registry/scan")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var result = await RegistryApi.Scan(registrar, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
