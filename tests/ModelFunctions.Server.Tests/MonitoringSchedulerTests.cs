using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// The scheduler's lease on a real folder store: a tick keeps its lease past the lease duration by renewing it,
/// two replicas never run a tick at once, and a tick whose lease is lost is cancelled.
/// </summary>
public sealed class MonitoringSchedulerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-scheduler-").FullName;

    [Fact]
    public async Task TwoReplicasOnAFolderStore_NeverRunATickAtOnce_AndALongTickKeepsItsLease()
    {
        await SchedulerReplicas.RunTwoReplicasAsync(() => new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance));
    }

    [Fact]
    public async Task LostLease_CancelsTheRunningTick_AndTheOtherHolderKeepsIt()
    {
        var store = new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance);
        await store.EnsureContainerAsync(ModelStoreLayout.MonitoringContainer, CancellationToken.None);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var schedule = new MonitoringSchedule("stolen", "* * * * * *", async token =>
        {
            Interlocked.Increment(ref runs);
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        });
        using var scheduler = SchedulerReplicas.Create(store, schedule, renewInterval: TimeSpan.FromMilliseconds(500));
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

            // Another replica takes the lease as if this one's had run out: its record goes, a new lease is taken.
            var record = Path.Combine(_root, ModelStoreLayout.MonitoringContainer, FileSystemBlobStore.MetaFolder, MonitoringLayout.LockBlob("stolen") + ".lease");
            Assert.True(File.Exists(record), record);
            File.Delete(record);
            var other = new FileSystemBlobStore(_root, NullLogger<FileSystemBlobStore>.Instance);
            await using var taken = await other.TryAcquireLeaseAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.LockBlob("stolen"), TimeSpan.FromSeconds(15), CancellationToken.None);
            Assert.NotNull(taken);

            // The next renewal (within 0.5 s) finds the lease gone and cancels the run.
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

            // Ticks go on every second, but none runs while the other replica holds the lease.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal(1, Volatile.Read(ref runs));
            Assert.True(await taken.RenewAsync(CancellationToken.None));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Timings_ThatCannotWork_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitoringSchedulerOptions { LeaseDuration = TimeSpan.FromSeconds(5) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitoringSchedulerOptions { RenewInterval = TimeSpan.FromSeconds(60) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonitoringSchedulerOptions { MinimumHold = TimeSpan.FromSeconds(-1) }.Validate());
        new MonitoringSchedulerOptions().Validate();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
