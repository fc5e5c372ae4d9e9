using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ModelFunctions.Core.Metrics;

/// <summary>
/// The serving instruments, on <see cref="System.Diagnostics.Metrics"/> so that the Prometheus endpoint and
/// Application Insights read the same numbers. Tagged by model and version, like Triton's per-model metrics.
/// </summary>
public sealed class ServingMetrics : IDisposable
{
    /// <summary>Name of the meter every instrument belongs to.</summary>
    public const string MeterName = "ModelFunctions.Serving";

    private readonly Meter _meter;
    private readonly Counter<long> _success;
    private readonly Counter<long> _failure;
    private readonly Counter<long> _inferences;
    private readonly Counter<long> _executions;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<double> _computeDuration;
    private readonly UpDownCounter<long> _pending;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public ServingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _success = _meter.CreateCounter<long>("modelfunctions.inference.request.success", "{request}", "Inference requests that succeeded.");
        _failure = _meter.CreateCounter<long>("modelfunctions.inference.request.failure", "{request}", "Inference requests that failed, by reason.");
        _inferences = _meter.CreateCounter<long>("modelfunctions.inference.count", "{inference}", "Inferences performed (rows: a batch of 8 counts 8).");
        _executions = _meter.CreateCounter<long>("modelfunctions.inference.exec.count", "{execution}", "Model executions (count / exec.count = mean batch size).");
        _requestDuration = _meter.CreateHistogram<double>("modelfunctions.inference.request.duration", "s", "End-to-end inference request duration.");
        _queueDuration = _meter.CreateHistogram<double>("modelfunctions.inference.queue.duration", "s", "Time requests waited in the batching queue.");
        _computeDuration = _meter.CreateHistogram<double>("modelfunctions.inference.compute.duration", "s", "Model execution time per run.");
        _pending = _meter.CreateUpDownCounter<long>("modelfunctions.inference.pending", "{request}", "Inference requests in progress.");
    }

    /// <summary>A request started; dispose the result when it ends.</summary>
    public PendingScope Start(string model, string version)
    {
        _pending.Add(1, Tags(model, version));
        return new PendingScope(this, model, version);
    }

    /// <summary>Records a request's outcome and duration.</summary>
    public void RequestCompleted(string model, string version, RequestOutcome outcome, TimeSpan duration)
    {
        var tags = Tags(model, version);
        if (outcome == RequestOutcome.Success)
        {
            _success.Add(1, tags);
        }
        else
        {
            var failureTags = tags;
            failureTags.Add("reason", outcome switch
            {
                RequestOutcome.ClientError => "client_error",
                RequestOutcome.Unavailable => "unavailable",
                _ => "server_error",
            });
            _failure.Add(1, failureTags);
        }

        _requestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records one model execution over <paramref name="rows"/> rows.</summary>
    public void Executed(string model, string version, long rows, TimeSpan compute)
    {
        var tags = Tags(model, version);
        _executions.Add(1, tags);
        _inferences.Add(rows, tags);
        _computeDuration.Record(compute.TotalSeconds, tags);
    }

    /// <summary>Records how long a request waited before its execution.</summary>
    public void Queued(string model, string version, TimeSpan wait) =>
        _queueDuration.Record(wait.TotalSeconds, Tags(model, version));

    private static TagList Tags(string model, string version) => new() { { "model", model }, { "version", version } };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    /// <summary>Marks a request as pending until disposed.</summary>
    public readonly struct PendingScope : IDisposable
    {
        private readonly ServingMetrics? _metrics;
        private readonly string _model;
        private readonly string _version;

        internal PendingScope(ServingMetrics metrics, string model, string version)
        {
            _metrics = metrics;
            _model = model;
            _version = version;
        }

        /// <inheritdoc />
        public void Dispose() => _metrics?._pending.Add(-1, Tags(_model, _version));
    }
}
