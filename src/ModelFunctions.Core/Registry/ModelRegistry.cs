using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Reads the registry (manifests, model states, settings) and changes which versions serve.
/// Every state change is an ETag-guarded read-modify-write retried on conflicts, so concurrent
/// changes from any number of processes are never lost.
/// </summary>
public sealed class ModelRegistry
{
    private const int MaxAttempts = 100;

    private readonly IBlobStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelRegistry> _logger;
    private volatile bool _containersReady;

    /// <summary>Creates the registry over a store.</summary>
    public ModelRegistry(IBlobStore store, TimeProvider time, ILogger<ModelRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Every model with a manifest or a state, in name order.</summary>
    public async Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken)
    {
        await EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        var models = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var item in _store.ListAsync(ModelStoreLayout.RegistryContainer, null, cancellationToken).ConfigureAwait(false))
        {
            var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && ModelNames.Validate(item.Name[..slash]) is null)
            {
                models.Add(item.Name[..slash]);
            }
        }

        var result = new List<ModelSummary>(models.Count);
        foreach (var model in models)
        {
            result.Add(await SummarizeAsync(model, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>One model's versions and serving state.</summary>
    /// <exception cref="RegistryException">NotFound when nothing is registered under that name; Invalid for a bad name.</exception>
    public async Task<ModelSummary> GetModelAsync(string model, CancellationToken cancellationToken)
    {
        ValidateName(model);
        var summary = await SummarizeAsync(model, cancellationToken).ConfigureAwait(false);
        if (summary.Versions.Count == 0 && summary.Production is null && summary.Canary is null)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"Model '{model}' has no registered version.");
        }

        return summary;
    }

    /// <summary>The manifest of one version, or null when it was never registered.</summary>
    /// <exception cref="RegistryException">Invalid for a bad name or version.</exception>
    public async Task<VersionManifest?> GetManifestAsync(string model, int version, CancellationToken cancellationToken)
    {
        ValidateName(model);
        ValidateVersion(version);
        var read = await ReadJsonAsync<VersionManifest>(ModelStoreLayout.ManifestBlob(model, version), cancellationToken).ConfigureAwait(false);
        return read?.Value;
    }

    /// <summary>
    /// Which versions of a model serve: one blob read, cheap enough for the serving path.
    /// A model without a state document gets <see cref="ModelState.Empty"/>.
    /// </summary>
    public async Task<ModelState> GetStateAsync(string model, CancellationToken cancellationToken)
    {
        ValidateName(model);
        var (state, _) = await ReadStateAsync(model, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>
    /// The model's settings from model.json, <see cref="ModelSettings.Default"/> without one.
    /// </summary>
    /// <exception cref="RegistryException">Invalid when model.json is malformed (the message names the field).</exception>
    public async Task<ModelSettings> GetSettingsAsync(string model, CancellationToken cancellationToken)
    {
        ValidateName(model);
        var bytes = await ReadBytesAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.SettingsBlob(model), cancellationToken).ConfigureAwait(false);
        return bytes is null ? ModelSettings.Default : ModelSettingsReader.Parse(bytes);
    }

    /// <summary>Makes a Ready version the production version (clearing it as canary); the old one can be rolled back to.</summary>
    /// <exception cref="RegistryException">NotFound for an unknown version, Conflict for a rejected one.</exception>
    public async Task<ModelState> PromoteAsync(string model, int version, string reason, CancellationToken cancellationToken)
    {
        ValidateName(model);
        await RequireReadyAsync(model, version, "version", cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var state = await UpdateStateAsync(model, s => ApplyPromote(s, version, StateActions.Promote, reason, now), cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Promoted {Model} v{Version} to production: {Reason}", model, version, reason);
        return state;
    }

    /// <summary>Returns production to the previous production version and clears the canary.</summary>
    /// <exception cref="RegistryException">Conflict when there is no earlier production version.</exception>
    public async Task<ModelState> RollbackAsync(string model, string reason, CancellationToken cancellationToken)
    {
        ValidateName(model);
        var now = _time.GetUtcNow();
        var state = await UpdateStateAsync(
            model,
            s =>
            {
                if (s.PreviousProductions.Count == 0)
                {
                    throw new RegistryException(RegistryErrorKind.Conflict, $"Model '{model}' has no previous production version to roll back to.");
                }

                var target = s.PreviousProductions[^1];
                var next = s with
                {
                    Production = target,
                    Canary = null,
                    CanaryPercent = 0,
                    PreviousProductions = s.PreviousProductions.Take(s.PreviousProductions.Count - 1).ToArray(),
                };
                return next.WithChange(new StateChange(now, StateActions.Rollback, s.Production, target, null, reason));
            },
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Rolled {Model} back to v{Version}: {Reason}", model, state.Production, reason);
        return state;
    }

    /// <summary>
    /// Sets the canary version and its traffic share (1 to 99 percent); a null version or 0 percent clears the canary.
    /// </summary>
    /// <exception cref="RegistryException">Invalid percent, NotFound version, Conflict for a rejected or production version.</exception>
    public async Task<ModelState> SetTrafficAsync(string model, int? canaryVersion, int percent, string reason, CancellationToken cancellationToken)
    {
        ValidateName(model);
        var clear = canaryVersion is null || percent == 0;
        if (!clear && percent is < 1 or > 99)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"canaryPercent must be from 0 to 99, not {percent} (promote the version to give it all traffic).");
        }

        if (percent is < 0 or > 99)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"canaryPercent must be from 0 to 99, not {percent}.");
        }

        if (!clear)
        {
            await RequireReadyAsync(model, canaryVersion!.Value, "canaryVersion", cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var state = await UpdateStateAsync(
            model,
            s =>
            {
                if (clear)
                {
                    var cleared = s with { Canary = null, CanaryPercent = 0 };
                    return cleared.WithChange(new StateChange(now, StateActions.Traffic, s.Canary, null, 0, reason));
                }

                if (s.Production == canaryVersion)
                {
                    throw new RegistryException(RegistryErrorKind.Conflict, $"canaryVersion {canaryVersion} is the production version of '{model}'.");
                }

                var next = s with { Canary = canaryVersion, CanaryPercent = percent };
                return next.WithChange(new StateChange(now, StateActions.Traffic, s.Canary, canaryVersion, percent, reason));
            },
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Traffic of {Model}: canary v{Canary} at {Percent} %: {Reason}", model, state.Canary, state.CanaryPercent, reason);
        return state;
    }

    /// <summary>
    /// Reads, changes and conditionally writes a model's state, retrying when another writer got there first.
    /// <paramref name="change"/> returns null to leave the state as it is; it may run several times.
    /// </summary>
    internal Task<ModelState> UpdateStateAsync(string model, Func<ModelState, ModelState?> change, CancellationToken cancellationToken) =>
        UpdateStateAsync(model, (state, _) => ValueTask.FromResult(change(state)), cancellationToken);

    /// <summary>As the synchronous overload, for changes that need to read more of the registry.</summary>
    internal async Task<ModelState> UpdateStateAsync(
        string model,
        Func<ModelState, CancellationToken, ValueTask<ModelState?>> change,
        CancellationToken cancellationToken)
    {
        await EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadStateAsync(model, cancellationToken).ConfigureAwait(false);
            var next = await change(current, cancellationToken).ConfigureAwait(false);
            if (next is null || ReferenceEquals(next, current))
            {
                return current;
            }

            var condition = etag is null ? BlobCondition.IfAbsent : BlobCondition.IfETagMatches(etag);
            try
            {
                using var content = new MemoryStream(RegistryJson.Serialize(next));
                await _store.PutAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.StateBlob(model), content, condition, null, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (BlobConditionFailedException) when (attempt < MaxAttempts)
            {
                // Someone else changed the state since it was read: back off a little and redo the change on the new state.
                _logger.LogDebug("State of {Model} changed concurrently; retrying (attempt {Attempt})", model, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 5)), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobConditionFailedException ex)
            {
                throw new RegistryException(RegistryErrorKind.Conflict, $"The state of '{model}' kept changing; gave up after {MaxAttempts} attempts.", ex);
            }
        }
    }

    /// <summary>Creates the models and registry containers once per instance.</summary>
    internal async Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        if (_containersReady)
        {
            return;
        }

        await _store.EnsureContainerAsync(ModelStoreLayout.ModelsContainer, cancellationToken).ConfigureAwait(false);
        await _store.EnsureContainerAsync(ModelStoreLayout.RegistryContainer, cancellationToken).ConfigureAwait(false);
        _containersReady = true;
    }

    /// <summary>The state and its ETag (null when the state document does not exist yet).</summary>
    internal async Task<(ModelState State, string? ETag)> ReadStateAsync(string model, CancellationToken cancellationToken)
    {
        var read = await ReadJsonAsync<ModelState>(ModelStoreLayout.StateBlob(model), cancellationToken).ConfigureAwait(false);
        return read is null ? (ModelState.Empty(model), null) : (read.Value.Value, read.Value.ETag);
    }

    internal static ModelState ApplyPromote(ModelState state, int version, string action, string reason, DateTimeOffset at)
    {
        if (state.Production == version)
        {
            return state.Canary == version ? state with { Canary = null, CanaryPercent = 0 } : state;
        }

        var previous = state.Production is int old
            ? state.PreviousProductions.Where(v => v != old).Append(old).TakeLast(ModelState.MaxPreviousProductions).ToArray()
            : state.PreviousProductions.ToArray();
        var clearCanary = state.Canary == version;
        var next = state with
        {
            Production = version,
            Canary = clearCanary ? null : state.Canary,
            CanaryPercent = clearCanary ? 0 : state.CanaryPercent,
            PreviousProductions = previous.Where(v => v != version).ToArray(),
        };
        return next.WithChange(new StateChange(at, action, state.Production, version, null, reason));
    }

    private async Task<ModelSummary> SummarizeAsync(string model, CancellationToken cancellationToken)
    {
        var versions = new List<VersionSummary>();
        var prefix = ModelStoreLayout.VersionsPrefix(model);
        await foreach (var item in _store.ListAsync(ModelStoreLayout.RegistryContainer, prefix, cancellationToken).ConfigureAwait(false))
        {
            var file = item.Name[prefix.Length..];
            if (!file.EndsWith(".json", StringComparison.Ordinal) || file.EndsWith(".baseline.json", StringComparison.Ordinal))
            {
                continue;
            }

            if (ModelNames.TryParseVersion(file[..^5], out var version) is not null)
            {
                continue;
            }

            var manifest = await ReadJsonAsync<VersionManifest>(item.Name, cancellationToken).ConfigureAwait(false);
            if (manifest?.Value is { } m)
            {
                versions.Add(new VersionSummary(m.Version, m.Status, m.FailedStage, m.Reason, m.RegisteredAt));
            }
        }

        versions.Sort((a, b) => a.Version.CompareTo(b.Version));
        var (state, _) = await ReadStateAsync(model, cancellationToken).ConfigureAwait(false);
        return new ModelSummary(model, state.Production, state.Canary, state.CanaryPercent, versions);
    }

    private async Task RequireReadyAsync(string model, int version, string field, CancellationToken cancellationToken)
    {
        if (version <= 0)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"{field} must be a positive integer, not {version.ToString(CultureInfo.InvariantCulture)}.");
        }

        var manifest = await GetManifestAsync(model, version, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"{field}: model '{model}' has no registered version {version}.");
        if (manifest.Status != VersionStatus.Ready)
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"{field}: version {version} of '{model}' was rejected ({manifest.FailedStage}: {manifest.Reason}) and cannot serve.");
        }
    }

    private async Task<(T Value, string ETag)?> ReadJsonAsync<T>(string name, CancellationToken cancellationToken)
    {
        var download = await _store.OpenReadAsync(ModelStoreLayout.RegistryContainer, name, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return null;
        }

        await using (download.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            try
            {
                return (RegistryJson.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), download.Item.ETag);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"Registry document '{ModelStoreLayout.RegistryContainer}/{name}' is corrupt: {ex.Message}", ex);
            }
        }
    }

    internal async Task<byte[]?> ReadBytesAsync(string container, string name, CancellationToken cancellationToken)
    {
        var download = await _store.OpenReadAsync(container, name, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return null;
        }

        await using (download.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    private static void ValidateName(string model)
    {
        if (ModelNames.Validate(model) is { } error)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"model: {error}");
        }
    }

    private static void ValidateVersion(int version)
    {
        if (ModelNames.ValidateVersion(version) is { } error)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"version: {error}");
        }
    }
}
