using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>POST /v1/models/{model}:predict</c>.</summary>
public sealed class V1Predict(InferenceService inference, ModelMetadataService metadata, IOptions<ProtocolLimits> limits)
{
    [Function(nameof(V1Predict))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/models/{model}:predict")] HttpRequest request,
        string model) =>
        InferenceApi.V1Predict(request.HttpContext, model, null, inference, metadata, limits);
}
