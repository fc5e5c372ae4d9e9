using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Functions;

/// <summary>Logging set-up of the Functions app.</summary>
internal static class LoggingBuilderExtensions
{
    private const string ApplicationInsightsProvider =
        "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// Removes the rule the Application Insights SDK adds to send only warnings and above, so that host.json's and
    /// the app's log levels decide what reaches Application Insights (registrations and warmups log at Information).
    /// </summary>
    public static ILoggingBuilder KeepInformationInApplicationInsights(this ILoggingBuilder logging)
    {
        logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var warningOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsProvider);
            if (warningOnly is not null)
            {
                options.Rules.Remove(warningOnly);
            }
        });
        return logging;
    }
}
