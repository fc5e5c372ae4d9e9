using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>
/// Monitoring routes: <c>GET /api/models/{model}/monitoring</c> (latest report), <c>POST /api/monitoring/run</c>
/// (run every check now), <c>GET /monitoring/{model}</c> (the HTML report page).
/// </summary>
public static class MonitoringApi
{
    /// <summary>Maps the monitoring endpoints and returns their groups (read and admin).</summary>
    public static MonitoringApiEndpoints MapMonitoringApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var read = endpoints.MapGroup(string.Empty).WithTags("Monitoring");
        read.MapGet("/api/models/{model}/monitoring", GetReport);
        read.MapGet("/monitoring/{model}", GetPage);
        var admin = endpoints.MapGroup(string.Empty).WithTags("Monitoring admin");
        admin.MapPost("/api/monitoring/run", Run);
        return new MonitoringApiEndpoints(read, admin);
    }

    /// <summary><c>GET /api/models/{model}/monitoring</c>: the latest report, 404 when none.</summary>
    public static async Task<Results<JsonHttpResult<MonitoringReport>, JsonHttpResult<ErrorResponse>>> GetReport(
        string model,
        MonitoringService monitoring,
        CancellationToken cancellationToken)
    {
        var report = await monitoring.GetLatestReportAsync(model, cancellationToken).ConfigureAwait(false);
        return report is null
            ? TypedResults.Json(new ErrorResponse($"No monitoring report for '{model}' yet."), RegistryJson.Options, statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Json(report, RegistryJson.Options);
    }

    /// <summary><c>POST /api/monitoring/run</c>: flushes this instance's capture and runs every check; returns the reports.</summary>
    public static async Task<JsonHttpResult<IReadOnlyList<MonitoringReport>>> Run(MonitoringService monitoring, CancellationToken cancellationToken)
    {
        var reports = await monitoring.RunChecksAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(reports, RegistryJson.Options);
    }

    /// <summary><c>GET /monitoring/{model}</c>: the HTML page of the latest report.</summary>
    public static async Task<ContentHttpResult> GetPage(string model, MonitoringService monitoring, CancellationToken cancellationToken)
    {
        var report = await monitoring.GetLatestReportAsync(model, cancellationToken).ConfigureAwait(false);
        return TypedResults.Content(ReportPage.Render(model, report), "text/html; charset=utf-8", statusCode: report is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }
}
