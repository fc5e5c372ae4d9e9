using Microsoft.Extensions.Options;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Server;

/// <summary>
/// What only the self-hosted server runs: seeding the sample model, the start-up scan, the registration watcher, and the monitoring schedules.
/// </summary>
internal static class SelfHostedServiceCollectionExtensions
{
    public static IServiceCollection AddSelfHostedJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SampleModelOptions>().BindConfiguration(SampleModelOptions.SectionName);
        // Order matters: hosted services start in registration order, so the sample is in place before the first scan.
        services.AddHostedService<StartupScan>();
        services.AddRegistrationWatcher();
        services.AddOptions<MonitoringSchedulerOptions>();
        services.AddSingleton(sp => new MonitoringSchedule(
            "drift",
            sp.GetRequiredService<IOptions<MonitoringOptions>>().Value.DriftSchedule,
            sp.GetRequiredService<MonitoringService>().RunDriftChecksAsync));
        services.AddSingleton(sp => new MonitoringSchedule(
            "health",
            sp.GetRequiredService<IOptions<MonitoringOptions>>().Value.HealthSchedule,
            sp.GetRequiredService<MonitoringService>().RunHealthChecksAsync));
        services.AddHostedService<MonitoringScheduler>();
        return services;
    }
}
