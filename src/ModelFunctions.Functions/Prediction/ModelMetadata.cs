using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v2/models/{model}</c>.</summary>
public sealed class ModelMetadata(ModelMetadataService metadata)
{
    [Function(nameof(ModelMetadata))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/models/{model}")] HttpRequest request,
        string model) =>
        InferenceApi.ModelMetadata(request.HttpContext, model, null, metadata);
}
