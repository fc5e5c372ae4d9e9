using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Server.Tests;

/// <summary>Real <see cref="MonitoringScheduler"/>s over a shared store, as replicas of the server run them.</summary>
internal static class SchedulerReplicas
{
    /// <summary>The shortest lease a blob store grants.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    public static MonitoringScheduler Create(IBlobStore store, MonitoringSchedule schedule, TimeSpan renewInterval, TimeSpan? minimumHold = null) =>
        new(
            [schedule],
            store,
            Options.Create(new MonitoringOptions()),
            Options.Create(new MonitoringSchedulerOptions
            {
                LeaseDuration = LeaseDuration,
                RenewInterval = renewInterval,
                MinimumHold = minimumHold ?? TimeSpan.Zero,
            }),
            TimeProvider.System,
            NullLogger<MonitoringScheduler>.Instance);
}
