using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>Writes every transition to the log: firing as a warning, the rest as information.</summary>
internal sealed class LogAlertSink(ILogger<LogAlertSink> logger) : IAlertSink
{
    public string Name => "log";

    public Task SendAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        var level = alert.State is "firing" or "rolledBack" ? LogLevel.Warning : LogLevel.Information;
        logger.Log(
            level,
            "{Event} {State}: {Model} v{Version} {Signal} {Metric}={Value} threshold {Threshold}",
            alert.Name,
            alert.State,
            alert.Model,
            alert.Version,
            alert.Signal,
            alert.Metric,
            alert.Value,
            alert.Threshold);
        return Task.CompletedTask;
    }
}
