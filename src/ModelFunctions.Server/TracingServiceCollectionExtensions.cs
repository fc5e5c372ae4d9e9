using ModelFunctions.Core.Tracing;
using OpenTelemetry.Trace;

namespace ModelFunctions.Server;

/// <summary>Traces of the self-hosted server, exported over OTLP when an endpoint is configured.</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry variable naming the collector (for example http://localhost:4317).</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// With <see cref="EndpointVariable"/> set (environment or configuration), exports the HTTP request spans of
    /// ASP.NET Core (which honour a W3C <c>traceparent</c>) and the serving spans of <see cref="ServingActivities"/>
    /// over OTLP, configured by the standard <c>OTEL_*</c> variables; without it nothing is registered and tracing
    /// costs nothing.
    /// </summary>
    public static IServiceCollection AddServerTracing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable]))
        {
            return services;
        }

        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(ServingActivities.SourceName)
            .AddAspNetCoreInstrumentation()
            .AddOtlpExporter());
        return services;
    }
}
