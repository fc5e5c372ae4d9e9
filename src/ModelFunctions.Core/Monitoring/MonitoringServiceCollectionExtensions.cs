using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Core.Monitoring;

/// <summary>Registers the monitoring: capture, flush, checks and alert sinks.</summary>
public static class MonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Adds the capture (as an <see cref="IInferenceObserver"/>), its flush service, <see cref="MonitoringService"/>,
    /// and the sinks: the log always, the webhook when <see cref="MonitoringOptions.WebhookUrl"/> is set,
    /// Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set. Options from <c>ModelFunctions:Monitoring</c>.
    /// </summary>
    public static IServiceCollection AddModelMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MonitoringCapture>();
        services.AddSingleton<IInferenceObserver>(sp => sp.GetRequiredService<MonitoringCapture>());
        services.AddHostedService<MonitoringFlushService>();
        services.TryAddSingleton<MonitoringService>();
        services.AddSingleton<IAlertSink, LogAlertSink>();
        services.AddSingleton<IAlertSink, WebhookAlertSink>();
        var connectionString = Environment.GetEnvironmentVariable(ApplicationInsightsAlertSink.ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<IAlertSink>(_ => new ApplicationInsightsAlertSink(connectionString));
        }

        return services;
    }
}
