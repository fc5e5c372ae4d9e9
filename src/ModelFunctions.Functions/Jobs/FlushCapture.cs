using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Monitoring;

namespace ModelFunctions.Functions.Jobs;

/// <summary>
/// Writes captured requests to the monitoring store every minute, so a stopped or crashed instance loses at most a
/// minute of them. Timers run on one instance at a time: other instances rely on the monitoring service flushing
/// when the host stops (IHostApplicationLifetime.ApplicationStopping, which the worker raises on a graceful stop).
/// </summary>
public sealed class FlushCapture(MonitoringService monitoring)
{
    [Function(nameof(FlushCapture))]
    public Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        monitoring.FlushCaptureAsync(cancellationToken);
}
