using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Picks the version that serves a request: the one asked for when it is Ready; otherwise production, or the
/// canary for its share of traffic (stable per request id, so a caller can stick to a version).
/// A new production or canary version takes traffic only once it is loaded and warm; until then the version
/// that served before keeps serving, so a swap never fails a request.
/// </summary>
public sealed class ModelRouter
{
    private readonly ModelRegistry _registry;
    private readonly ModelCache _cache;
    private readonly ServingOptions _options;
    private readonly BatchingOptions _batchingDefaults;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelRouter> _logger;
    private readonly ConcurrentDictionary<string, ModelView> _views = new();
    private readonly ConcurrentDictionary<(string, int), VersionManifest> _readyManifests = new();
    private readonly ConcurrentDictionary<string, StateRead> _refreshes = new(StringComparer.Ordinal);

    /// <summary>Creates the router.</summary>
    public ModelRouter(
        ModelRegistry registry,
        ModelCache cache,
        IOptions<ServingOptions> options,
        IOptions<BatchingOptions> batchingDefaults,
        TimeProvider time,
        ILogger<ModelRouter> logger)
    {
        _registry = registry;
        _cache = cache;
        _options = options.Value;
        _batchingDefaults = batchingDefaults.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Chooses the version for a request.</summary>
    /// <remarks>
    /// Completes without awaiting while the model's state is fresh (every request after the first in each
    /// <see cref="ServingOptions.StateRefreshInterval"/>), and allocates nothing then for production traffic.
    /// </remarks>
    /// <exception cref="ServingException">404 for an unknown model or version, 503 when nothing is servable yet.</exception>
    public ValueTask<RouteDecision> RouteAsync(string model, int? version, string? requestId, CancellationToken cancellationToken)
    {
        if (TryGetFreshView(model, out var view) && (version is null || _readyManifests.ContainsKey((model, version.Value))))
        {
            return ValueTask.FromResult(Decide(view, version, requestId));
        }

        return RouteSlowAsync(model, version, requestId, cancellationToken);
    }

    /// <summary>Forgets the cached state of a model so the next request reads it again.</summary>
    public void Invalidate(string model) => _views.TryRemove(model, out _);

    private async ValueTask<RouteDecision> RouteSlowAsync(string model, int? version, string? requestId, CancellationToken cancellationToken)
    {
        var view = await GetViewAsync(model, cancellationToken).ConfigureAwait(false);
        if (version is { } pinned)
        {
            await RequireReadyAsync(model, pinned, cancellationToken).ConfigureAwait(false);
        }

        return Decide(view, version, requestId);
    }

    private RouteDecision Decide(ModelView view, int? version, string? requestId)
    {
        if (version is { } pinned)
        {
            return view.Decide(pinned);
        }

        if (view.Serving is null)
        {
            throw new ServingException(503, $"Model '{view.Model}' has no production version yet.");
        }

        if (view.Canary is { } canary && view.CanaryPercent > 0 && _cache.IsLoaded(view.Model, canary) && Bucket(requestId) < view.CanaryPercent)
        {
            return view.CanaryDecision!;
        }

        return view.ServingDecision!;
    }

    private bool TryGetFreshView(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelView? view) =>
        _views.TryGetValue(model, out view) && _time.GetElapsedTime(view.FetchedAt) < _options.StateRefreshInterval;

    private async Task RequireReadyAsync(string model, int version, CancellationToken cancellationToken)
    {
        if (_readyManifests.ContainsKey((model, version)))
        {
            return;
        }

        var manifest = await _registry.GetManifestAsync(model, version, cancellationToken).ConfigureAwait(false)
            ?? throw new ServingException(404, $"Model '{model}' has no version {version}.");
        if (manifest.Status != VersionStatus.Ready)
        {
            throw new ServingException(404, $"Model '{model}' version {version} was rejected and is not served: {manifest.Reason}");
        }

        _readyManifests[(model, version)] = manifest;
    }

    private async Task<ModelView> GetViewAsync(string model, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        _views.TryGetValue(model, out var view);
        if (view is null)
        {
            return await FetchViewAsync(model, null, cancellationToken).ConfigureAwait(false);
        }

        if (_time.GetElapsedTime(view.FetchedAt, now) < _options.StateRefreshInterval)
        {
            return view;
        }

        // One read of the store per model at a time, shared by every request that finds the copy stale; it does not
        // take a request's token, as its result serves the others too.
        var read = _refreshes.GetOrAdd(model, static (name, state) => new StateRead(state.Router.RefreshAsync(name, state.View), state.Router._time.GetTimestamp()), (Router: this, View: view));
        var refresh = read.Task;
        // Requests wait for the read only in its first StateRefreshWait, and not at all while the store is known to
        // be away: during an outage they are served from the copy at once.
        var wait = view.StoreUnreachable ? TimeSpan.Zero : _options.StateRefreshWait - _time.GetElapsedTime(read.StartedAt);
        if (!refresh.IsCompleted && wait > TimeSpan.Zero)
        {
            await Task.WhenAny(refresh, Task.Delay(wait, _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (!refresh.IsCompleted)
        {
            return view;
        }

        // A read that finished before it was stored is removed here (its own finally came too early).
        _refreshes.TryRemove(new KeyValuePair<string, StateRead>(model, read));
        var (fresh, failure) = refresh.Result;
        failure?.Throw();
        return fresh;
    }

    /// <summary>
    /// Reads a model's state again. A store that cannot be reached must not stop what is loaded: the stale copy is
    /// kept (and trusted for another interval). Anything else (the model is gone, its state unreadable) is the answer.
    /// </summary>
    private async Task<(ModelView View, ExceptionDispatchInfo? Failure)> RefreshAsync(string model, ModelView stale)
    {
        try
        {
            return (await FetchViewAsync(model, stale, CancellationToken.None).ConfigureAwait(false), null);
        }
        catch (BlobStoreException ex)
        {
            _logger.LogWarning(ex, "Could not read the state of {Model}; serving v{Version} from the last copy until the store answers", model, stale.Serving);
            var kept = stale with { FetchedAt = _time.GetTimestamp(), StoreUnreachable = true };
            _views.TryUpdate(model, kept, stale);
            return (kept, null);
        }
        catch (Exception ex)
        {
            return (stale, ExceptionDispatchInfo.Capture(ex));
        }
        finally
        {
            _refreshes.TryRemove(model, out _);
        }
    }

    private async Task<ModelView> FetchViewAsync(string model, ModelView? view, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        ModelState state;
        try
        {
            state = await _registry.GetStateAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Invalid)
        {
            throw new ServingException(404, $"Unknown model '{model}': {ex.Message}");
        }

        if (state.Production is null && state.Canary is null && state.History.Count == 0)
        {
            _views.TryRemove(model, out _);
            throw new ServingException(404, $"Unknown model '{model}'.");
        }

        var settings = await ReadSettingsAsync(model, cancellationToken).ConfigureAwait(false);
        var batching = new BatchingOptions
        {
            Enabled = settings.Batching.Enabled ?? _batchingDefaults.Enabled,
            MaxBatchSize = settings.Batching.MaxBatchSize,
            MaxQueueDelayMs = settings.Batching.MaxQueueDelayMs,
            MaxQueueLength = _batchingDefaults.MaxQueueLength,
        };

        var previous = view?.Serving;
        int? serving = state.Production;
        if (state.Production is { } production && previous is { } old && old != production && !_cache.IsLoaded(model, production))
        {
            // Keep the old version until the new one is warm.
            serving = old;
            StartWarming(model, production, batching);
        }
        else if (state.Production is { } first && previous is null)
        {
            await _cache.WarmAsync(model, first, batching, cancellationToken).ConfigureAwait(false);
        }

        if (state.Canary is { } canary && !_cache.IsLoaded(model, canary))
        {
            StartWarming(model, canary, batching);
        }

        view = new ModelView(model, serving, state.Canary, state.CanaryPercent, batching, settings.RejectNonFinite, now);
        _views[model] = view;
        return view;
    }

    private async Task<ModelSettings> ReadSettingsAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.GetSettingsAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Invalid)
        {
            // A broken model.json blocks new registrations; it must not stop what already serves.
            _logger.LogWarning("Ignoring invalid settings of {Model}: {Reason}", model, ex.Message);
            return ModelSettings.Default;
        }
    }

    private void StartWarming(string model, int version, BatchingOptions batching)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await _cache.WarmAsync(model, version, batching, CancellationToken.None).ConfigureAwait(false);
                Invalidate(model);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Could not load {Model} v{Version}; the previous version keeps serving", model, version);
            }
        });
    }

    private static int Bucket(string? requestId)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return Random.Shared.Next(100);
        }

        // FNV-1a: stable across processes and restarts, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in requestId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % 100);
    }

    private sealed record ModelView(
        string Model,
        int? Serving,
        int? Canary,
        int CanaryPercent,
        BatchingOptions Batching,
        bool RejectNonFinite,
        long FetchedAt)
    {
        /// <summary>The last read of the store failed: this copy is kept until the store answers again.</summary>
        public bool StoreUnreachable { get; init; }

        private bool SharesTraffic => Canary is not null && CanaryPercent > 0;

        /// <summary>The decision for production traffic, made once per refresh rather than per request.</summary>
        public RouteDecision? ServingDecision { get; } = Serving is { } serving
            ? new(Model, serving, Batching, RejectNonFinite) { DependsOnRequestId = Canary is not null && CanaryPercent > 0 }
            : null;

        /// <summary>The decision for the canary's share of traffic.</summary>
        public RouteDecision? CanaryDecision { get; } = Canary is { } canary
            ? new(Model, canary, Batching, RejectNonFinite) { DependsOnRequestId = CanaryPercent > 0 }
            : null;

        /// <summary>The decision for a request that names its version.</summary>
        public RouteDecision Decide(int version) =>
            version == Serving && !SharesTraffic ? ServingDecision! : new(Model, version, Batching, RejectNonFinite);
    }

    /// <summary>A read of a model's state in flight, shared by the requests that found their copy stale.</summary>
    private sealed record StateRead(Task<(ModelView View, ExceptionDispatchInfo? Failure)> Task, long StartedAt);
}
