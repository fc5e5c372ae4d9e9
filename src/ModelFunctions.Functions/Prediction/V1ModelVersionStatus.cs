using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v1/models/{model}/versions/{version}</c>.</summary>
public sealed class V1ModelVersionStatus(ModelMetadataService metadata)
{
    [Function(nameof(V1ModelVersionStatus))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/models/{model}/versions/{version}")] HttpRequest request,
        string model,
        string version) =>
        InferenceApi.V1ModelStatus(request.HttpContext, model, version, metadata);
}
