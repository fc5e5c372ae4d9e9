using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;

namespace ModelFunctions.Functions.Monitoring;

/// <summary><c>GET /api/models/{model}/monitoring</c>: drift, error-rate and latency report.</summary>
public sealed class MonitoringReport(MonitoringService monitoring)
{
    [Function(nameof(MonitoringReport))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{model}/monitoring")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await MonitoringApi.GetReport(model, monitoring, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
