using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Metrics;

namespace ModelFunctions.Functions.Metrics;

/// <summary><c>GET /metrics</c>: this instance's serving metrics in Prometheus text format.</summary>
public sealed class PrometheusMetrics(PrometheusExporter exporter)
{
    [Function(nameof(PrometheusMetrics))]
    public Task Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "metrics")] HttpRequest request) =>
        MetricsApi.Render(exporter).ExecuteAsync(request.HttpContext);
}
