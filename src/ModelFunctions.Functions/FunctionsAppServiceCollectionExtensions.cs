using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions;

/// <summary>Everything the Functions app registers: Program.cs calls this, and so do the tests of the app's functions.</summary>
public static class FunctionsAppServiceCollectionExtensions
{
    private const string ApplicationInsightsProvider =
        "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// Adds Application Insights, ModelFunctions' Core services and the start-up warmup of production models.
    /// Function keys play the inference key's role and admin (master) keys the admin key's, through each function's
    /// AuthorizationLevel: <c>ModelFunctions:Keys</c> stays unset here and no API key filter is added.
    /// </summary>
    public static IServiceCollection AddModelFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();
        // The Application Insights SDK adds a rule that sends only warnings and above; without it, host.json's and the
        // app's log levels decide what reaches Application Insights (registrations and warmups log at Information).
        services.Configure<LoggerFilterOptions>(options =>
        {
            var warningOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsProvider);
            if (warningOnly is not null)
            {
                options.Rules.Remove(warningOnly);
            }
        });

        // The worker's start loads every production model before the instance reports ready: on Container Apps
        // hosting that start is what runs when a replica comes up (there is no warmup trigger there).
        services
            .AddModelFunctions(configuration)
            .AddProductionWarmup();
        return services;
    }
}
