using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v2/models/{model}/versions/{version}/ready</c>.</summary>
public sealed class ModelVersionReady(ModelMetadataService metadata)
{
    [Function(nameof(ModelVersionReady))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/models/{model}/versions/{version}/ready")] HttpRequest request,
        string model,
        string version) =>
        InferenceApi.ModelReady(request.HttpContext, model, version, metadata);
}
