using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// A model version in memory: its session, its batcher when batching is on, and a count of the requests using it.
/// Unloading waits for the last user: in-flight requests always finish on the version they started on.
/// </summary>
public sealed class LoadedModel
{
    private readonly OnnxModel _model;
    private readonly DynamicBatcher? _batcher;
    private readonly string _folder;
    private readonly MetricsObserver _observer;
    private readonly Lock _gate = new();
    private int _users;
    private bool _unloadRequested;
    private bool _unloaded;

    internal LoadedModel(string model, int version, OnnxModel session, BatchingOptions batching, string folder, long sizeBytes, ServingMetrics metrics)
    {
        Model = model;
        Version = version;
        _model = session;
        _folder = folder;
        SizeBytes = sizeBytes;
        _observer = new MetricsObserver(metrics, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        BatchingDisabledReason = batching.Enabled ? BatchPlan.WhyNot(session.Signature) : "batching is off";
        if (BatchingDisabledReason is null)
        {
            _batcher = new DynamicBatcher(
                session,
                batching.MaxBatchSize,
                TimeSpan.FromMilliseconds(batching.MaxQueueDelayMs),
                batching.MaxQueueLength,
                Math.Max(1, Environment.ProcessorCount),
                _observer);
        }
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>The registry version.</summary>
    public int Version { get; }

    /// <summary>Inputs, outputs and metadata.</summary>
    public ModelSignature Signature => _model.Signature;

    /// <summary>Bytes of model files loaded, the measure the cache budget counts.</summary>
    public long SizeBytes { get; }

    /// <summary>Whether requests are merged into batches, and if not, why.</summary>
    public string? BatchingDisabledReason { get; }

    /// <summary>The provider the session runs on.</summary>
    public ExecutionProviderKind ExecutionProvider => _model.ExecutionProvider;

    /// <summary>
    /// Runs one request: validated first (so errors name the input), then batched with others when possible.
    /// </summary>
    public async ValueTask<IReadOnlyList<NamedTensor>> RunAsync(
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<string>? outputs,
        CancellationToken cancellationToken)
    {
        _model.Validate(inputs, outputs);
        if (_batcher is not null && BatchPlan.Key(_model.Signature, inputs, outputs) is { } key)
        {
            return await _batcher.RunAsync(inputs, outputs, key, cancellationToken).ConfigureAwait(false);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = _model.RunValidated(inputs, outputs, cancellationToken);
        var rows = inputs.Count > 0 && inputs[0].Shape.Length > 0 ? inputs[0].Shape[0] : 1;
        _observer.Queued(TimeSpan.Zero);
        _observer.Executed(1, rows, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return result;
    }

    /// <summary>Counts a user; false when the model is already being unloaded.</summary>
    internal bool TryAddUser()
    {
        lock (_gate)
        {
            if (_unloadRequested)
            {
                return false;
            }

            _users++;
            return true;
        }
    }

    /// <summary>Releases a user; the last one out after an unload request frees the model.</summary>
    internal void RemoveUser()
    {
        bool free;
        lock (_gate)
        {
            _users--;
            free = _unloadRequested && _users == 0 && !_unloaded;
            _unloaded |= free;
        }

        if (free)
        {
            _ = FreeAsync();
        }
    }

    /// <summary>Asks for the model to be freed once no request uses it.</summary>
    internal void Unload()
    {
        bool free;
        lock (_gate)
        {
            _unloadRequested = true;
            free = _users == 0 && !_unloaded;
            _unloaded |= free;
        }

        if (free)
        {
            _ = FreeAsync();
        }
    }

    /// <summary>Whether the native session has been freed.</summary>
    internal bool IsUnloaded
    {
        get
        {
            lock (_gate)
            {
                return _unloaded;
            }
        }
    }

    private async Task FreeAsync()
    {
        if (_batcher is not null)
        {
            await _batcher.DisposeAsync().ConfigureAwait(false);
        }

        _model.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover copy is harmless; the cache folder is cleaned at start.
        }
    }

    private sealed class MetricsObserver(ServingMetrics metrics, string model, string version) : IBatchObserver
    {
        public void Queued(TimeSpan wait) => metrics.Queued(model, version, wait);

        public void Executed(int requests, long rows, TimeSpan compute) => metrics.Executed(model, version, rows, compute);
    }
}
