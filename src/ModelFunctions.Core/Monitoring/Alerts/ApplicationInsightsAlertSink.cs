using System.Globalization;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;

namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>
/// Sends each transition as a custom event (<see cref="AlertEventNames"/>) with the properties model, version,
/// signal, metric, value, threshold and state, and each evaluated value as a metric
/// <c>ModelFunctions.Monitoring.{metric}</c> with model, version and signal. Registered only when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set.
/// </summary>
internal sealed class ApplicationInsightsAlertSink : IAlertSink, IDisposable
{
    /// <summary>The environment variable that turns the sink on.</summary>
    public const string ConnectionStringVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    private readonly TelemetryConfiguration _configuration;
    private readonly TelemetryClient _client;

    public ApplicationInsightsAlertSink(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _configuration = new TelemetryConfiguration { ConnectionString = connectionString };
        _client = new TelemetryClient(_configuration);
    }

    public string Name => "applicationInsights";

    public Task SendAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        _client.TrackEvent(alert.Name, Properties(alert));
        _client.Flush();
        return Task.CompletedTask;
    }

    public void RecordMetrics(string model, IReadOnlyList<SignalEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        foreach (var evaluation in evaluations.Where(e => double.IsFinite(e.Value)))
        {
            _client.TrackMetric(
                "ModelFunctions.Monitoring." + evaluation.Metric,
                evaluation.Value,
                new Dictionary<string, string>
                {
                    ["model"] = model,
                    ["version"] = evaluation.Version.ToString(CultureInfo.InvariantCulture),
                    ["signal"] = evaluation.Signal,
                });
        }
    }

    public void Dispose()
    {
        _client.Flush();
        _configuration.Dispose();
    }

    /// <summary>The custom event's properties.</summary>
    public static Dictionary<string, string> Properties(AlertEvent alert) => new()
    {
        ["model"] = alert.Model,
        ["version"] = alert.Version.ToString(CultureInfo.InvariantCulture),
        ["signal"] = alert.Signal,
        ["metric"] = alert.Metric,
        ["value"] = alert.Value.ToString("R", CultureInfo.InvariantCulture),
        ["threshold"] = alert.Threshold.ToString("R", CultureInfo.InvariantCulture),
        ["state"] = alert.State,
    };
}
