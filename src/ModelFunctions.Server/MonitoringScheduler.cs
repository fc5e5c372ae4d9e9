using Microsoft.Extensions.Options;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Scheduling;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Server;

/// <summary>
/// Runs the drift and health checks on their NCRONTAB schedules (<c>ModelFunctions:Monitoring:DriftSchedule</c>
/// and <c>HealthSchedule</c>). Each run first takes a lease on <c>{schedule}.lock</c> in the monitoring
/// container, and holds it at least <see cref="MinimumHold"/>, so with several replicas only one runs a tick.
/// </summary>
internal sealed class MonitoringScheduler(
    MonitoringService monitoring,
    IBlobStore store,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringScheduler> logger) : BackgroundService
{
    /// <summary>Least time a lease is held after a tick, so replicas whose clocks differ by less do not run it twice.</summary>
    public static readonly TimeSpan MinimumHold = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunSchedules)
        {
            return Task.CompletedTask;
        }

        var drift = CronSchedule.Parse(options.Value.DriftSchedule);
        var health = CronSchedule.Parse(options.Value.HealthSchedule);
        return Task.WhenAll(
            RunScheduleAsync("drift", drift, monitoring.RunDriftChecksAsync, stoppingToken),
            RunScheduleAsync("health", health, monitoring.RunHealthChecksAsync, stoppingToken));
    }

    private async Task RunScheduleAsync(string name, CronSchedule schedule, Func<CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (schedule.Next(now) is not { } next)
            {
                logger.LogWarning("Schedule {Schedule} ({Expression}) never fires", name, schedule.Expression);
                return;
            }

            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await TickAsync(name, run, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed tick must not stop the host: the next tick tries again.
                logger.LogError(ex, "Scheduled {Schedule} checks failed", name);
            }
        }
    }

    private async Task TickAsync(string name, Func<CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        var lease = await store.TryAcquireLeaseAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.LockBlob(name), LeaseDuration, stoppingToken);
        if (lease is null)
        {
            logger.LogDebug("Another replica runs the {Schedule} checks this time", name);
            return;
        }

        await using (lease)
        {
            await run(stoppingToken);
            var remaining = MinimumHold - time.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, time, stoppingToken);
            }
        }
    }
}
