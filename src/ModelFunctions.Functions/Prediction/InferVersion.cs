using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>POST /v2/models/{model}/versions/{version}/infer</c>.</summary>
public sealed class InferVersion(InferenceService inference, IOptions<ProtocolLimits> limits)
{
    [Function(nameof(InferVersion))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/models/{model}/versions/{version}/infer")] HttpRequest request,
        string model,
        string version) =>
        InferenceApi.Infer(request.HttpContext, model, version, inference, limits);
}
