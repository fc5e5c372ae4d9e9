using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Model versions loaded in this process: each loaded once (concurrent first requests share the load), warmed
/// with one run, and unloaded least-recently-used first when the memory budget is exceeded.
/// </summary>
public sealed class ModelCache : IAsyncDisposable
{
    private readonly IBlobStore _store;
    private readonly OnnxRuntimeEngine _engine;
    private readonly ServingMetrics _metrics;
    private readonly ILogger<ModelCache> _logger;
    private readonly ServingOptions _options;
    private readonly string _folder;
    private readonly ConcurrentDictionary<(string Model, int Version), Entry> _entries = new();
    private readonly Lock _evictionGate = new();

    /// <summary>Creates the cache; its local folder is emptied.</summary>
    public ModelCache(
        IBlobStore store,
        OnnxRuntimeEngine engine,
        ServingMetrics metrics,
        IOptions<ServingOptions> options,
        ILogger<ModelCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _engine = engine;
        _metrics = metrics;
        _logger = logger;
        _options = options.Value;
        _folder = _options.CacheFolder ?? Path.Combine(Path.GetTempPath(), "modelfunctions-cache", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        Directory.CreateDirectory(_folder);
    }

    /// <summary>
    /// Takes a lease on a loaded, warm version, loading it first if needed. Dispose the lease when the request ends.
    /// </summary>
    /// <exception cref="ModelLoadException">The version's files could not be loaded.</exception>
    public ValueTask<ModelLease> AcquireAsync(string model, int version, BatchingOptions batching, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batching);
        // The common case, a loaded model, completes here without an async state machine.
        if (_entries.TryGetValue((model, version), out var entry)
            && entry.Load.IsValueCreated
            && entry.Load.Value.IsCompletedSuccessfully
            && entry.Load.Value.Result is var loaded
            && loaded.TryAddUser())
        {
            entry.Touch();
            return ValueTask.FromResult(new ModelLease(loaded));
        }

        return AcquireSlowAsync(model, version, batching, cancellationToken);
    }

    private async ValueTask<ModelLease> AcquireSlowAsync(string model, int version, BatchingOptions batching, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _entries.GetOrAdd((model, version), static (key, state) => new Entry(key, state.Cache, state.Batching), (Cache: this, Batching: batching));
            LoadedModel loaded;
            try
            {
                loaded = await entry.Load.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (entry.Load.Value.IsFaulted)
            {
                // A failed load is forgotten so that the next request tries again.
                _entries.TryRemove(KeyValuePair.Create((model, version), entry));
                throw;
            }

            entry.Touch();
            if (loaded.TryAddUser())
            {
                return new ModelLease(loaded);
            }

            // Unloaded between lookup and lease: look again (a fresh entry loads it anew).
            _entries.TryRemove(KeyValuePair.Create((model, version), entry));
        }
    }

    /// <summary>Whether a version is loaded and warm.</summary>
    public bool IsLoaded(string model, int version) =>
        _entries.TryGetValue((model, version), out var entry) && entry.Load.IsValueCreated && entry.Load.Value.IsCompletedSuccessfully;

    /// <summary>Loads and warms a version without taking a lease (used before a production swap).</summary>
    public async Task WarmAsync(string model, int version, BatchingOptions batching, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(model, version, batching, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unloads a version once its in-flight requests finish.</summary>
    public void Unload(string model, int version)
    {
        if (!_entries.TryRemove((model, version), out var entry) || !entry.Load.IsValueCreated)
        {
            return;
        }

        // A load still in progress is unloaded as soon as it completes, so nothing is left behind.
        _ = entry.Load.Value.ContinueWith(
            load =>
            {
                if (load.IsCompletedSuccessfully)
                {
                    load.Result.Unload();
                    _logger.LogInformation("Unloaded {Model} v{Version}", model, version);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The versions loaded now, most recently used first.</summary>
    public IReadOnlyList<LoadedModel> Loaded =>
        _entries.Values
            .Where(e => e.Load.IsValueCreated && e.Load.Value.IsCompletedSuccessfully)
            .OrderByDescending(e => e.LastUsed)
            .Select(e => e.Load.Value.Result)
            .ToArray();

    private async Task<LoadedModel> LoadAsync((string Model, int Version) key, BatchingOptions batching)
    {
        var (model, version) = key;
        var started = Stopwatch.GetTimestamp();
        var folder = Path.Combine(_folder, model, $"{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            long size = 0;
            var prefix = ModelStoreLayout.VersionFolder(model, version);
            await foreach (var blob in _store.ListAsync(ModelStoreLayout.ModelsContainer, prefix, CancellationToken.None).ConfigureAwait(false))
            {
                var relative = blob.Name[prefix.Length..];
                if (relative == ModelStoreLayout.ReferenceFileName)
                {
                    // Baseline data for monitoring, not part of the model: no need to copy it to load the version.
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(folder, relative));
                if (!target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var item = await _store.DownloadToFileAsync(ModelStoreLayout.ModelsContainer, blob.Name, target, CancellationToken.None).ConfigureAwait(false);
                size += item?.Length ?? 0;
            }

            var path = Path.Combine(folder, "model.onnx");
            var session = await Task.Run(() => _engine.LoadFile(path, $"{model} v{version}")).ConfigureAwait(false);
            try
            {
                // Warm-up: the first run allocates arenas and picks kernels; do it before any request waits on it.
                session.Run(SyntheticInputs.Create(session.Signature), null, CancellationToken.None);
            }
            catch
            {
                session.Dispose();
                throw;
            }

            var loaded = new LoadedModel(model, version, session, batching, folder, size, _metrics);
            _logger.LogInformation(
                "Loaded {Model} v{Version} ({SizeBytes} bytes, {Provider}) in {ElapsedMs:F0} ms; batching: {Batching}",
                model,
                version,
                size,
                session.ExecutionProvider,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                loaded.BatchingDisabledReason ?? "on");
            EvictBeyondBudget(key);
            return loaded;
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    private void EvictBeyondBudget((string Model, int Version) keep)
    {
        lock (_evictionGate)
        {
            var loaded = _entries.Values
                .Where(e => e.Load.IsValueCreated && e.Load.Value.IsCompletedSuccessfully)
                .OrderBy(e => e.LastUsed)
                .ToList();
            var total = loaded.Sum(e => e.Load.Value.Result.SizeBytes);
            foreach (var entry in loaded)
            {
                if (total <= _options.CacheBudgetBytes)
                {
                    break;
                }

                if (entry.Key == keep)
                {
                    continue;
                }

                total -= entry.Load.Value.Result.SizeBytes;
                Unload(entry.Key.Model, entry.Key.Version);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Unloads every version.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var key in _entries.Keys.ToArray())
        {
            Unload(key.Model, key.Version);
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Entry
    {
        private long _lastUsed;

        public Entry((string Model, int Version) key, ModelCache cache, BatchingOptions batching)
        {
            Key = key;
            Load = new Lazy<Task<LoadedModel>>(() => cache.LoadAsync(key, batching), LazyThreadSafetyMode.ExecutionAndPublication);
            Touch();
        }

        public (string Model, int Version) Key { get; }

        public Lazy<Task<LoadedModel>> Load { get; }

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch() => Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
    }
}
