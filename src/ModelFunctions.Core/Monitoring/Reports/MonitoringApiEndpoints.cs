using Microsoft.AspNetCore.Routing;

namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>The route groups of the monitoring API, so the host can attach key requirements.</summary>
/// <param name="Read">The latest report (JSON) and the HTML page.</param>
/// <param name="Admin">Running the checks now.</param>
public sealed record MonitoringApiEndpoints(RouteGroupBuilder Read, RouteGroupBuilder Admin);
