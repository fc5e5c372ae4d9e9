using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v2/models/{model}/versions/{version}</c>.</summary>
public sealed class ModelVersionMetadata(ModelMetadataService metadata)
{
    [Function(nameof(ModelVersionMetadata))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/models/{model}/versions/{version}")] HttpRequest request,
        string model,
        string version) =>
        InferenceApi.ModelMetadata(request.HttpContext, model, version, metadata);
}
