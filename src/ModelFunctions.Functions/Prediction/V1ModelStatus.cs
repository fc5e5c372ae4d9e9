using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>GET /v1/models/{model}</c>: TF-Serving style version states.</summary>
public sealed class V1ModelStatus(ModelMetadataService metadata)
{
    [Function(nameof(V1ModelStatus))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/models/{model}")] HttpRequest request,
        string model) =>
        InferenceApi.V1ModelStatus(request.HttpContext, model, null, metadata);
}
