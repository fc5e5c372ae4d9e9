using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;

namespace ModelFunctions.Functions.Jobs;

/// <summary>Error-rate, latency and canary checks, on the <c>HealthSchedule</c> setting.</summary>
public sealed class HealthChecks(MonitoringService monitoring)
{
    [Function(nameof(HealthChecks))]
    public Task Run([TimerTrigger("%HealthSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        monitoring.RunHealthChecksAsync(cancellationToken);
}
