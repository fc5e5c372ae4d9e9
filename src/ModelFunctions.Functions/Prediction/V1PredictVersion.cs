using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>POST /v1/models/{model}/versions/{version}:predict</c>.</summary>
public sealed class V1PredictVersion(InferenceService inference, ModelMetadataService metadata, IOptions<ProtocolLimits> limits)
{
    [Function(nameof(V1PredictVersion))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/models/{model}/versions/{version}:predict")] HttpRequest request,
        string model,
        string version) =>
        InferenceApi.V1Predict(request.HttpContext, model, version, inference, metadata, limits);
}
