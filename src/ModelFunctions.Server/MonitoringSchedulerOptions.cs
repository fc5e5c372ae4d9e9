namespace ModelFunctions.Server;

/// <summary>
/// Lease timings of <see cref="MonitoringScheduler"/>. Not bound from configuration: the defaults suit every
/// deployment, and tests set shorter ones.
/// </summary>
internal sealed class MonitoringSchedulerOptions
{
    /// <summary>Duration of the lease on <c>{schedule}.lock</c>: 15 to 60 seconds, as blob leases allow. Default 60 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running tick renews its lease; below <see cref="LeaseDuration"/>. Default 20 s.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Least time a lease is held after a tick, so replicas whose clocks differ by less do not run it twice. Default 10 s.</summary>
    public TimeSpan MinimumHold { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws when the timings cannot work together.</summary>
    public void Validate()
    {
        if (LeaseDuration < TimeSpan.FromSeconds(15) || LeaseDuration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), LeaseDuration, "A lease lasts 15 to 60 seconds.");
        }

        if (RenewInterval <= TimeSpan.Zero || RenewInterval >= LeaseDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(RenewInterval), RenewInterval, "The lease must be renewed more often than it lasts.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumHold, TimeSpan.Zero, nameof(MinimumHold));
    }
}
