using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Reports;

namespace ModelFunctions.Functions.Monitoring;

/// <summary><c>GET /api/models/{model}/monitoring</c>: the latest monitoring report.</summary>
public sealed class GetMonitoringReport(MonitoringService monitoring)
{
    [Function(nameof(GetMonitoringReport))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{model}/monitoring")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await MonitoringApi.GetReport(model, monitoring, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
