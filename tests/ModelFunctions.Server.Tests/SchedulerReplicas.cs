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

    /// <summary>
    /// Two schedulers, each with its own store client, fire the same schedule every second. The first tick that
    /// runs takes longer than the lease lasts (so only renewal keeps it), later ones 0.3 s. Once a few ticks have
    /// run, the replica that ran the long one stops and the other must take over. Asserts that no two ticks ever
    /// ran at once, that the long tick outlived the lease, and that both replicas ran ticks.
    /// </summary>
    public static async Task RunTwoReplicasAsync(Func<IBlobStore> createStore)
    {
        var longTick = LeaseDuration + TimeSpan.FromSeconds(2);
        var runs = new ConcurrentQueue<(string Replica, TimeSpan Start, TimeSpan End)>();
        var clock = Stopwatch.StartNew();
        var started = 0;
        var active = 0;
        var mostActive = 0;

        MonitoringSchedule Schedule(string replica) => new("replicas", "* * * * * *", async token =>
        {
            var start = clock.Elapsed;
            var nowActive = Interlocked.Increment(ref active);
            InterlockedMax(ref mostActive, nowActive);
            try
            {
                await Task.Delay(Interlocked.Increment(ref started) == 1 ? longTick : TimeSpan.FromSeconds(0.3), token);
            }
            finally
            {
                Interlocked.Decrement(ref active);
                runs.Enqueue((replica, start, clock.Elapsed));
            }
        });

        var stores = new[] { createStore(), createStore() };
        await stores[0].EnsureContainerAsync(ModelStoreLayout.MonitoringContainer, CancellationToken.None);
        using var a = Create(stores[0], Schedule("a"), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200));
        using var b = Create(stores[1], Schedule("b"), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200));
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        var stopped = new List<MonitoringScheduler>();
        try
        {
            await WaitUntilAsync(() => runs.Count >= 3, longTick + TimeSpan.FromSeconds(20));
            var longRun = runs.OrderBy(r => r.Start).First();
            var (stays, goes) = longRun.Replica == "a" ? (b, a) : (a, b);
            await goes.StopAsync(CancellationToken.None);
            stopped.Add(goes);
            var before = runs.Count(r => r.Replica != longRun.Replica);
            await WaitUntilAsync(() => runs.Count(r => r.Replica != longRun.Replica) >= before + 2, TimeSpan.FromSeconds(15));
        }
        finally
        {
            foreach (var scheduler in new[] { a, b }.Except(stopped))
            {
                await scheduler.StopAsync(CancellationToken.None);
            }
        }

        var all = runs.OrderBy(r => r.Start).ToList();
        Assert.Equal(1, mostActive);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].Start >= all[i - 1].End, $"run {i} ({all[i].Replica}) started at {all[i].Start} before run {i - 1} ({all[i - 1].Replica}) ended at {all[i - 1].End}");
        }

        Assert.True(all[0].End - all[0].Start > LeaseDuration, $"the long tick ran {all[0].End - all[0].Start}");
        Assert.Contains(all, r => r.Replica == "a");
        Assert.Contains(all, r => r.Replica == "b");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, $"not reached within {timeout}");
            await Task.Delay(100);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
