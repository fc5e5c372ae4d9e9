using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Reports;

namespace ModelFunctions.Functions.Monitoring;

/// <summary><c>POST /api/monitoring/run</c> (admin): flushes this instance's capture and runs every check now.</summary>
public sealed class RunMonitoring(MonitoringService monitoring)
{
    [Function(nameof(RunMonitoring))]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/monitoring/run")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var result = await MonitoringApi.Run(monitoring, cancellationToken);
        await result.ExecuteAsync(request.HttpContext);
    }
}
