using Microsoft.Extensions.Options;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Scheduling;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Server;

/// <summary>
/// Runs each <see cref="MonitoringSchedule"/> (the drift and health checks, on <c>ModelFunctions:Monitoring:DriftSchedule</c>
/// and <c>HealthSchedule</c>). Each tick first takes a lease on <c>{schedule}.lock</c> in the monitoring container,
/// renews it while the checks run, and holds it at least <see cref="MonitoringSchedulerOptions.MinimumHold"/>, so with
/// several replicas only one runs a tick. A tick whose lease is lost (a renewal refused, or none confirmed before it
/// would run out) is cancelled, so it cannot overlap the run of the replica that took the lease.
/// </summary>
internal sealed class MonitoringScheduler : BackgroundService
{
    private readonly IReadOnlyList<MonitoringSchedule> _schedules;
    private readonly IBlobStore _store;
    private readonly MonitoringOptions _options;
    private readonly MonitoringSchedulerOptions _timings;
    private readonly TimeProvider _time;
    private readonly ILogger<MonitoringScheduler> _logger;

    public MonitoringScheduler(
        IEnumerable<MonitoringSchedule> schedules,
        IBlobStore store,
        IOptions<MonitoringOptions> options,
        IOptions<MonitoringSchedulerOptions> timings,
        TimeProvider time,
        ILogger<MonitoringScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timings);
        timings.Value.Validate();
        _schedules = schedules.ToArray();
        _store = store;
        _options = options.Value;
        _timings = timings.Value;
        _time = time;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunSchedules)
        {
            return Task.CompletedTask;
        }

        var parsed = _schedules.Select(s => (Schedule: s, Cron: TimerSchedule.Parse(s.Expression))).ToArray();
        return Task.WhenAll(parsed.Select(p => RunScheduleAsync(p.Schedule, p.Cron, stoppingToken)));
    }

    private async Task RunScheduleAsync(MonitoringSchedule schedule, TimerSchedule cron, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            if (cron.Next(now) is not { } next)
            {
                _logger.LogWarning("Schedule {Schedule} ({Expression}) never fires", schedule.Name, cron.Expression);
                return;
            }

            try
            {
                await Task.Delay(next - now, _time, stoppingToken);
                await TickAsync(schedule, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed tick must not stop the host: the next tick tries again.
                _logger.LogError(ex, "Scheduled {Schedule} checks failed", schedule.Name);
            }
        }
    }

    private async Task TickAsync(MonitoringSchedule schedule, CancellationToken stoppingToken)
    {
        var started = _time.GetTimestamp();
        var lease = await _store.TryAcquireLeaseAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.LockBlob(schedule.Name), _timings.LeaseDuration, stoppingToken);
        if (lease is null)
        {
            _logger.LogDebug("Another replica runs the {Schedule} checks this time", schedule.Name);
            return;
        }

        await using (lease)
        {
            using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            using var stopRenewing = new CancellationTokenSource();
            var renewing = KeepRenewingAsync(schedule.Name, lease, started, run, stopRenewing.Token);
            try
            {
                await schedule.RunAsync(run.Token);
                var remaining = _timings.MinimumHold - _time.GetElapsedTime(started);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _time, run.Token);
                }
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                // The lease was lost: KeepRenewingAsync logged it; another replica may run the next tick.
            }
            finally
            {
                // Stop renewing before the lease is released, so no renewal races the release.
                await stopRenewing.CancelAsync();
                await renewing;
            }
        }
    }

    /// <summary>Renews the lease every RenewInterval until stopped; cancels <paramref name="run"/> when the lease is lost. Never throws.</summary>
    private async Task KeepRenewingAsync(string name, IBlobLease lease, long acquiredAt, CancellationTokenSource run, CancellationToken stop)
    {
        // The lease is known to hold until LeaseDuration after the start of the last request that took or renewed it.
        var confirmedAt = acquiredAt;
        while (true)
        {
            try
            {
                await Task.Delay(_timings.RenewInterval, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var attemptAt = _time.GetTimestamp();
            try
            {
                if (await lease.RenewAsync(stop))
                {
                    confirmedAt = attemptAt;
                    continue;
                }

                _logger.LogWarning("Lost the lease of the {Schedule} checks (another replica holds it now); cancelling this run", name);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (_time.GetElapsedTime(confirmedAt) + _timings.RenewInterval < _timings.LeaseDuration)
                {
                    _logger.LogWarning(ex, "Could not renew the lease of the {Schedule} checks; trying again", name);
                    continue;
                }

                _logger.LogWarning(ex, "Could not renew the lease of the {Schedule} checks before it runs out; cancelling this run", name);
            }

            await run.CancelAsync();
            return;
        }
    }
}
