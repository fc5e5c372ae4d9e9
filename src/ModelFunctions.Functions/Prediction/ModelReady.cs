using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v2/models/{model}/ready</c>.</summary>
public sealed class ModelReady(ModelMetadataService metadata)
{
    [Function(nameof(ModelReady))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/models/{model}/ready")] HttpRequest request,
        string model) =>
        InferenceApi.ModelReady(request.HttpContext, model, null, metadata);
}
