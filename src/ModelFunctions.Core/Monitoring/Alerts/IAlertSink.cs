namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>Where alert transitions and metric values go (the log, Application Insights, a webhook).</summary>
public interface IAlertSink
{
    /// <summary>Sink name for logs.</summary>
    string Name { get; }

    /// <summary>Delivers one event; may throw, the dispatcher carries on with the other sinks.</summary>
    Task SendAsync(AlertEvent alert, CancellationToken cancellationToken);

    /// <summary>Records the values of a run's evaluations (only sinks that keep metrics do something).</summary>
    void RecordMetrics(string model, IReadOnlyList<SignalEvaluation> evaluations)
    {
    }
}
