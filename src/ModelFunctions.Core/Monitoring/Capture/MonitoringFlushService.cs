using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// Writes closed capture windows to the store every <see cref="MonitoringOptions.FlushInterval"/>, and every
/// window, the open ones included, when the host stops: a crash loses at most the unflushed part.
/// </summary>
internal sealed class MonitoringFlushService(
    MonitoringCapture capture,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringFlushService> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await capture.FlushAsync(includeOpen: true, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Flushed {Windows} monitoring window(s) at shutdown", written);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown came before the monitoring windows were flushed");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await capture.FlushAsync(includeOpen: false, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Windows stay pending; the next tick tries again.
                    logger.LogError(ex, "Monitoring flush failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes what is left.
        }
    }
}
