using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>Hands events to every sink; a failing sink is logged and never stops the others or the checks.</summary>
internal sealed class AlertDispatcher(IEnumerable<IAlertSink> sinks, ILogger<AlertDispatcher> logger)
{
    private readonly IAlertSink[] _sinks = sinks.ToArray();

    public async Task DispatchAsync(string model, IReadOnlyList<AlertEvent> events, IReadOnlyList<SignalEvaluation> evaluations, CancellationToken cancellationToken)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                sink.RecordMetrics(model, evaluations);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Alert sink {Sink} could not record metrics of {Model}", sink.Name, model);
            }
        }

        if (events.Count == 0)
        {
            return;
        }

        await Task.WhenAll(_sinks.Select(sink => SendAllAsync(sink, events, cancellationToken))).ConfigureAwait(false);
    }

    private async Task SendAllAsync(IAlertSink sink, IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken)
    {
        foreach (var alert in events)
        {
            try
            {
                await sink.SendAsync(alert, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Alert sink {Sink} failed to deliver {Event} for {Model} v{Version} {Signal}", sink.Name, alert.Name, alert.Model, alert.Version, alert.Signal);
            }
        }
    }
}
