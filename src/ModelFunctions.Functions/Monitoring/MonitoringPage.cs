using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Reports;

namespace ModelFunctions.Functions.Monitoring;

/// <summary><c>GET /monitoring/{model}</c>: the HTML page of the latest report.</summary>
public sealed class MonitoringPage(MonitoringService monitoring)
{
    [Function(nameof(MonitoringPage))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "monitoring/{model}")] HttpRequest request,
        string model,
        CancellationToken cancellationToken)
    {
        var result = await MonitoringApi.GetPage(model, monitoring, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
