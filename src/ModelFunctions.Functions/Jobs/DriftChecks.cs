using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;

namespace ModelFunctions.Functions.Jobs;

/// <summary>Compares each model's recent inputs and predictions with its baseline, on the <c>DriftSchedule</c> setting.</summary>
public sealed class DriftChecks(MonitoringService monitoring)
{
    [Function(nameof(DriftChecks))]
    public Task Run([TimerTrigger("%DriftSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        monitoring.RunDriftChecksAsync(cancellationToken);
}
