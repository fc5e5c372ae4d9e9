using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelFunctions.Core.Metrics;

namespace ModelFunctions.Core.Http;

/// <summary>
/// <c>GET /metrics</c>: the serving metrics in Prometheus text format.
/// </summary>
public static class MetricsApi
{
    /// <summary>Maps the metrics endpoint.</summary>
    public static RouteHandlerBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Created now, not on the first scrape, so that no measurement before it is lost.
        endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        return endpoints.MapGet("/metrics", Render).WithTags("Metrics");
    }

    /// <summary>Renders every series.</summary>
    public static IResult Render(PrometheusExporter exporter) =>
        TypedResults.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8");
}
