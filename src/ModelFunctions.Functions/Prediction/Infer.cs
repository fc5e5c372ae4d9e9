using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Prediction;

/// <summary><c>POST /v2/models/{model}/infer</c>.</summary>
public sealed class Infer(InferenceService inference, IOptions<ProtocolLimits> limits)
{
    [Function(nameof(Infer))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/models/{model}/infer")] HttpRequest request,
        string model) =>
        InferenceApi.Infer(request.HttpContext, model, null, inference, limits);
}
