using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Monitoring.Checks;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Onnx;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tracing;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Validates dropped models and records them: name, size, format, external data, load, signature, smoke test,
/// breaking changes, baseline, then the promotion policy. A version is recorded once (versions are immutable);
/// the same file delivered again changes nothing, and a failure part-way leaves the registry as it was, so a
/// registration can always be retried.
/// </summary>
public sealed class ModelRegistrar
{
    private readonly IBlobStore _store;
    private readonly OnnxRuntimeEngine _engine;
    private readonly ModelRegistry _registry;
    private readonly RegistrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelRegistrar> _logger;
    private readonly SemaphoreSlim _scanGate = new(1, 1);

    // Model blobs (name -> ETag) already found to conflict with their manifest, so scans do not hash them again.
    private readonly ConcurrentDictionary<string, string> _knownConflicts = new(StringComparer.Ordinal);

    /// <summary>Creates the registrar.</summary>
    public ModelRegistrar(
        IBlobStore store,
        OnnxRuntimeEngine engine,
        ModelRegistry registry,
        IOptions<RegistrationOptions> options,
        TimeProvider time,
        ILogger<ModelRegistrar> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _engine = engine;
        _registry = registry;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Registers <c>{model}/{version}/model.onnx</c> from the models container.
    /// </summary>
    /// <exception cref="RegistryException">NotFound when the model file does not exist.</exception>
    /// <exception cref="BlobStoreException">The store failed; nothing was recorded that a retry cannot complete.</exception>
    public async Task<RegistrationResult> RegisterAsync(string model, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var span = ServingActivities.Source.StartActivity(ServingActivities.Register);
        span?.SetTag("modelfunctions.model", model);
        span?.SetTag("modelfunctions.version", version);
        var result = await RegisterTracedAsync(model, version, cancellationToken).ConfigureAwait(false);
        if (span is not null)
        {
            span.SetTag("modelfunctions.outcome", result.Outcome.ToString());
            if (result.FailedStage is { } stage)
            {
                span.SetTag("modelfunctions.stage", stage.ToString());
            }
        }

        return result;
    }

    private async Task<RegistrationResult> RegisterTracedAsync(string model, int version, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if ((ModelNames.Validate(model) ?? ModelNames.ValidateVersion(version)) is { } nameError)
        {
            _logger.LogWarning("Refused {Model} v{Version}: {Reason}", model, version, nameError);
            return new RegistrationResult(model, version, RegistrationOutcome.Rejected, null, RegistrationStage.Name, nameError, Elapsed(clock));
        }

        await _registry.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        var blobName = ModelStoreLayout.ModelBlob(model, version);
        var blob = await _store.GetPropertiesAsync(ModelStoreLayout.ModelsContainer, blobName, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"'{ModelStoreLayout.ModelsContainer}/{blobName}' does not exist.");

        var existing = await _registry.GetManifestAsync(model, version, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.SourceETag == blob.ETag)
        {
            return await AlreadyRegisteredAsync(existing, clock, cancellationToken).ConfigureAwait(false);
        }

        var work = Path.Combine(_options.EffectiveWorkFolder, $"{model}-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return await RegisterInFolderAsync(model, version, blob, existing, work, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteFolder(work);
        }
    }

    /// <summary>
    /// Registers a drop reported by a blob event as <c>{model}/{version}/model.onnx</c>, with the version still as
    /// text: a version that is not a positive integer is logged and ignored (a retry could not fix it).
    /// Returns null for such a version.
    /// </summary>
    public async Task<RegistrationResult?> RegisterDropAsync(string model, string version, CancellationToken cancellationToken)
    {
        if (ModelNames.TryParseVersion(version, out var number) is { } versionError)
        {
            _logger.LogWarning("Ignored the drop {Model}/{Version}: {Reason}", model, version, versionError);
            return null;
        }

        var result = await RegisterAsync(model, number, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Registration of {Model} v{Version}: {Outcome} {Reason}", model, number, result.Outcome, result.Reason);
        return result;
    }

    /// <summary>
    /// Registers every model.onnx of the models container that has no manifest yet (or changed since it was
    /// registered), skipping files modified less than <see cref="RegistrationOptions.StableFor"/> ago.
    /// Scans of one registrar run one at a time.
    /// </summary>
    public async Task<ScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        await _scanGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ScanCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _scanGate.Release();
        }
    }

    private async Task<ScanResult> ScanCoreAsync(CancellationToken cancellationToken)
    {
        await _registry.EnsureContainersAsync(cancellationToken).ConfigureAwait(false);
        var manifests = new Dictionary<string, BlobItem>(StringComparer.Ordinal);
        await foreach (var item in _store.ListAsync(ModelStoreLayout.RegistryContainer, null, cancellationToken).ConfigureAwait(false))
        {
            manifests[item.Name] = item;
        }

        var candidates = new List<(string Model, int Version, BlobItem Blob)>();
        var problems = new List<ScanProblem>();
        var pending = new List<string>();
        var folders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        await foreach (var item in _store.ListAsync(ModelStoreLayout.ModelsContainer, null, cancellationToken).ConfigureAwait(false))
        {
            var parts = item.Name.Split('/');
            if (parts.Length == 2 && parts[1] == "model.json")
            {
                continue;
            }

            if (parts.Length >= 3)
            {
                var folder = $"{parts[0]}/{parts[1]}/";
                if (!folders.TryGetValue(folder, out var files))
                {
                    folders[folder] = files = [];
                }

                files.Add(item.Name);
            }

            if (parts.Length != 3 || parts[2] != ModelStoreLayout.ModelFileName)
            {
                // Other files of a version folder (reference.csv, external data) are read with their model.
                if (parts.Length < 3 || item.Name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new ScanProblem(item.Name, Describe(item.Name)));
                }

                continue;
            }

            if (!ModelStoreLayout.TryParseModelBlob(item.Name, out var model, out var version, out var error))
            {
                problems.Add(new ScanProblem(item.Name, error ?? "The name does not fit the layout."));
                continue;
            }

            if (manifests.ContainsKey(ModelStoreLayout.ManifestBlob(model, version)))
            {
                var manifest = manifests[ModelStoreLayout.ManifestBlob(model, version)];
                // A registered version needs another look only when its file was replaced after registration.
                if (item.LastModified <= manifest.LastModified
                    || (_knownConflicts.TryGetValue(item.Name, out var etag) && etag == item.ETag))
                {
                    continue;
                }
            }

            if (now - item.LastModified < _options.StableFor)
            {
                pending.Add(item.Name);
                continue;
            }

            candidates.Add((model, version, item));
        }

        foreach (var (folder, files) in folders)
        {
            if (!files.Contains(folder + ModelStoreLayout.ModelFileName, StringComparer.Ordinal)
                && !files.Any(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(new ScanProblem(folder, $"The folder has no {ModelStoreLayout.ModelFileName} (found {string.Join(", ", files.Select(f => $"'{f[folder.Length..]}'"))})."));
            }
        }

        var registrations = new List<RegistrationResult>();
        foreach (var (model, version, blob) in candidates)
        {
            try
            {
                registrations.Add(await RegisterAsync(model, version, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is BlobStoreException or RegistryException or IOException or InvalidDataException)
            {
                _logger.LogError(ex, "Registration of {Model} v{Version} failed; it will be retried by the next scan", model, version);
                problems.Add(new ScanProblem(blob.Name, $"Registration failed and will be retried: {ex.Message}"));
            }
        }

        foreach (var problem in problems)
        {
            _logger.LogWarning("Not registered: {Blob}: {Reason}", problem.BlobName, problem.Reason);
        }

        return new ScanResult(registrations, pending, problems);
    }

    private static string Describe(string blobName)
    {
        if (ModelStoreLayout.TryParseModelBlob(blobName, out _, out _, out var error))
        {
            return "The name does not fit the layout.";
        }

        return error ?? $"'{blobName}' is not of the form {{model}}/{{version}}/{ModelStoreLayout.ModelFileName}.";
    }

    private async Task<RegistrationResult> RegisterInFolderAsync(
        string model,
        int version,
        BlobItem blob,
        VersionManifest? existing,
        string work,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var draft = new ManifestDraft(model, version, blob.Length, blob.ETag);
        ModelSettings settings;
        try
        {
            settings = await _registry.GetSettingsAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Invalid && existing is null)
        {
            // Not recorded: once model.json is fixed, the next scan registers the version.
            _logger.LogWarning("Refused {Model} v{Version}: {Reason}", model, version, ex.Message);
            return new RegistrationResult(model, version, RegistrationOutcome.Rejected, null, RegistrationStage.Settings, ex.Message, Elapsed(clock));
        }
        catch (RegistryException) when (existing is not null)
        {
            settings = ModelSettings.Default;
        }

        if (existing is null)
        {
            if (blob.Length == 0)
            {
                return await RejectAsync(draft, RegistrationStage.Size, "model.onnx is empty (0 bytes).", clock, cancellationToken).ConfigureAwait(false);
            }

            if (blob.Length > _options.MaxModelBytes)
            {
                return await RejectAsync(draft, RegistrationStage.Size, $"model.onnx is {blob.Length} bytes; the limit is {_options.MaxModelBytes}.", clock, cancellationToken).ConfigureAwait(false);
            }
        }

        var modelPath = Path.Combine(work, ModelStoreLayout.ModelFileName);
        var downloaded = await _store.DownloadToFileAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob(model, version), modelPath, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"'{ModelStoreLayout.ModelBlob(model, version)}' disappeared during its registration.");
        draft.SizeBytes = downloaded.Length;
        draft.SourceETag = downloaded.ETag;
        draft.Sha256 = await HashAsync(modelPath, cancellationToken).ConfigureAwait(false);

        if (existing is not null)
        {
            return await CompareWithExistingAsync(existing, draft, clock, cancellationToken).ConfigureAwait(false);
        }

        if (draft.SizeBytes == 0 || draft.SizeBytes > _options.MaxModelBytes)
        {
            return await RejectAsync(draft, RegistrationStage.Size, $"model.onnx is {draft.SizeBytes} bytes; it must be from 1 to {_options.MaxModelBytes}.", clock, cancellationToken).ConfigureAwait(false);
        }

        OnnxFileInfo info;
        try
        {
            var stream = File.OpenRead(modelPath);
            await using (stream.ConfigureAwait(false))
            {
                info = await OnnxFileInspector.InspectAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException ex)
        {
            return await RejectAsync(draft, RegistrationStage.Format, $"Not an ONNX model: {ex.Message}", clock, cancellationToken).ConfigureAwait(false);
        }

        draft.Describe(info);
        var escaping = info.ExternalData.FirstOrDefault(r => r.EscapesFolder);
        if (escaping is not null)
        {
            return await RejectAsync(draft, RegistrationStage.ExternalData, $"Tensor '{escaping.TensorName}' keeps its data at '{escaping.Location}', outside the version's folder.", clock, cancellationToken).ConfigureAwait(false);
        }

        await DownloadCompanionsAsync(model, version, work, cancellationToken).ConfigureAwait(false);
        foreach (var reference in info.ExternalData)
        {
            var path = Path.GetFullPath(Path.Combine(work, reference.Location));
            if (!path.StartsWith(Path.GetFullPath(work) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            {
                return await RejectAsync(draft, RegistrationStage.ExternalData, $"Tensor '{reference.TensorName}' keeps its data in '{reference.Location}', which is not in the version's folder.", clock, cancellationToken).ConfigureAwait(false);
            }
        }

        var rejection = await ValidateWithRuntimeAsync(draft, modelPath, cancellationToken).ConfigureAwait(false);
        if (rejection is { } failed)
        {
            return await RejectAsync(draft, failed.Stage, failed.Reason, clock, cancellationToken).ConfigureAwait(false);
        }

        var state = await _registry.GetStateAsync(model, cancellationToken).ConfigureAwait(false);
        draft.BreakingChanges = await BreakingChangesAsync(model, state.Production, draft, cancellationToken).ConfigureAwait(false);
        if (draft.BreakingChanges.Count > 0 && settings.Policy != PromotionPolicy.Manual)
        {
            draft.Reason = $"Not promoted automatically: the signature breaks production v{state.Production}: {string.Join("; ", draft.BreakingChanges)}.";
        }

        var referencePath = Path.Combine(work, ModelStoreLayout.ReferenceFileName);
        if (File.Exists(referencePath))
        {
            ModelBaseline baseline;
            try
            {
                baseline = await BaselineBuilder.BuildAsync(model, version, referencePath, BaselineBins(settings), cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                return await RejectAsync(draft, RegistrationStage.Baseline, ex.Message, clock, cancellationToken).ConfigureAwait(false);
            }

            // Written before the manifest: a manifest that says HasBaseline always finds its baseline.
            using var content = new MemoryStream(RegistryJson.Serialize(baseline));
            await _store.PutAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, version), content, BlobCondition.None, null, cancellationToken).ConfigureAwait(false);
            draft.HasBaseline = true;
        }

        var manifest = draft.Build(VersionStatus.Ready, null, _time.GetUtcNow());
        RegistrationResult? stored;
        try
        {
            stored = await StoreManifestAsync(manifest, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobStoreException) when (draft.HasBaseline)
        {
            await DeleteOrphanBaselineAsync(model, version).ConfigureAwait(false);
            throw;
        }

        if (stored is not null)
        {
            return stored;
        }

        await ApplyPolicyAsync(manifest, settings, onlyIfUnrecorded: false, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "Registered {Model} v{Version} ({Bytes} bytes, sha256 {Sha256}, loaded in {LoadMs} ms)",
            model,
            version,
            manifest.SizeBytes,
            manifest.Sha256,
            manifest.LoadMilliseconds);
        return new RegistrationResult(model, version, RegistrationOutcome.Registered, manifest, null, manifest.Reason, Elapsed(clock));
    }

    private async Task<(RegistrationStage Stage, string Reason)?> ValidateWithRuntimeAsync(ManifestDraft draft, string modelPath, CancellationToken cancellationToken)
    {
        var loadClock = Stopwatch.StartNew();
        OnnxModel loaded;
        try
        {
            // Loading is CPU-bound and can take seconds for large models: keep it off the caller's thread.
            loaded = await Task.Run(() => _engine.LoadFile(modelPath, $"{draft.Model} v{draft.Version}"), cancellationToken).ConfigureAwait(false);
        }
        catch (ModelLoadException ex)
        {
            return (RegistrationStage.Load, ex.Message);
        }

        using (loaded)
        {
            draft.LoadMilliseconds = Math.Round(loadClock.Elapsed.TotalMilliseconds, 3);
            var signature = loaded.Signature;
            draft.Inputs = signature.Inputs;
            draft.Outputs = signature.Outputs;
            if (signature.Inputs.Count == 0)
            {
                return (RegistrationStage.Signature, "The model has no inputs: there is nothing to serve.");
            }

            if (signature.Inputs.FirstOrDefault(i => !i.IsSupported) is { } unsupported)
            {
                return (RegistrationStage.Signature, $"Input '{unsupported.Name}' cannot be served: {unsupported.UnsupportedReason ?? "not a tensor"}.");
            }

            if (!signature.Outputs.Any(o => o.IsSupported))
            {
                return (RegistrationStage.Signature, "The model has no output the protocol can carry.");
            }

            try
            {
                var inputs = SyntheticInputs.Create(signature);
                await Task.Run(() => loaded.Run(inputs, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InferenceRunException or InferenceInputException or OverflowException)
            {
                return (RegistrationStage.SmokeTest, $"The model failed on synthetic inputs: {ex.Message}");
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<string>> BreakingChangesAsync(string model, int? production, ManifestDraft draft, CancellationToken cancellationToken)
    {
        if (production is not int current || current == draft.Version)
        {
            return [];
        }

        var old = await _registry.GetManifestAsync(model, current, cancellationToken).ConfigureAwait(false);
        return old is null ? [] : SignatureComparer.BreakingChanges(old.Inputs, old.Outputs, draft.Inputs, draft.Outputs);
    }

    /// <summary>Records the registration in the model's state and applies the policy; false when it was already recorded.</summary>
    /// <summary>The quantile bins model.json asks for (monitoring.drift.bins); the default when it cannot be read (the monitoring run reports why).</summary>
    private static int BaselineBins(ModelSettings settings)
    {
        try
        {
            return MonitoringSettings.Parse(settings.Monitoring).Drift.Bins;
        }
        catch (RegistryException)
        {
            return FeatureBaseline.DefaultBins;
        }
    }

    private async Task<bool> ApplyPolicyAsync(VersionManifest manifest, ModelSettings settings, bool onlyIfUnrecorded, CancellationToken cancellationToken)
    {
        var applied = false;
        var version = manifest.Version;
        var comparedWith = (int?)null;
        IReadOnlyList<string> breaking = manifest.BreakingChanges;
        await _registry.UpdateStateAsync(
            manifest.Model,
            async (state, ct) =>
            {
                applied = false;
                if (state.History.Any(h => h.Action == StateActions.Register && h.To == version))
                {
                    return null;
                }

                // A retry after a fault: the entry may only be missing because the bounded history dropped it.
                if (onlyIfUnrecorded && state.History.Count >= ModelState.MaxHistory)
                {
                    return null;
                }

                var now = _time.GetUtcNow();
                if (state.Production != comparedWith && state.Production is int production && production != version)
                {
                    // Production moved since the manifest was written: judge compatibility against the new one.
                    var old = await _registry.GetManifestAsync(manifest.Model, production, ct).ConfigureAwait(false);
                    breaking = old is null ? [] : SignatureComparer.BreakingChanges(old.Inputs, old.Outputs, manifest.Inputs, manifest.Outputs);
                    comparedWith = production;
                }

                applied = true;
                var policy = settings.Policy.ToString().ToLowerInvariant();
                var next = state.WithChange(new StateChange(now, StateActions.Register, state.Production, version, null, $"registered ({policy} policy)"));
                if (breaking.Count > 0 && state.Production is not null)
                {
                    return next;
                }

                switch (settings.Policy)
                {
                    case PromotionPolicy.Auto when state.Production is null || version > state.Production:
                        return ModelRegistry.ApplyPromote(next, version, StateActions.Promote, "auto policy: highest ready version", now);
                    case PromotionPolicy.Canary when state.Production is null:
                        return ModelRegistry.ApplyPromote(next, version, StateActions.Promote, "canary policy: first ready version", now);
                    case PromotionPolicy.Canary when state.Production != version:
                        return (next with { Canary = version, CanaryPercent = settings.CanaryPercent })
                            .WithChange(new StateChange(now, StateActions.Traffic, state.Canary, version, settings.CanaryPercent, "canary policy: new version"));
                    default:
                        return next;
                }
            },
            cancellationToken).ConfigureAwait(false);
        return applied;
    }

    private async Task<RegistrationResult> AlreadyRegisteredAsync(VersionManifest existing, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (existing.Status == VersionStatus.Ready)
        {
            // A retry after a fault between the manifest and the state: complete what the first attempt began.
            ModelSettings settings;
            try
            {
                settings = await _registry.GetSettingsAsync(existing.Model, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException)
            {
                settings = ModelSettings.Default;
            }

            if (await ApplyPolicyAsync(existing, settings, onlyIfUnrecorded: true, cancellationToken).ConfigureAwait(false))
            {
                _logger.LogInformation("Completed the interrupted registration of {Model} v{Version}", existing.Model, existing.Version);
                return new RegistrationResult(existing.Model, existing.Version, RegistrationOutcome.Registered, existing, null, existing.Reason, Elapsed(clock));
            }
        }

        _logger.LogInformation("{Model} v{Version} is already registered ({Status})", existing.Model, existing.Version, existing.Status);
        return new RegistrationResult(existing.Model, existing.Version, RegistrationOutcome.AlreadyRegistered, existing, existing.FailedStage, existing.Reason, Elapsed(clock));
    }

    private async Task<RegistrationResult> CompareWithExistingAsync(VersionManifest existing, ManifestDraft draft, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (string.Equals(existing.Sha256, draft.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return await AlreadyRegisteredAsync(existing, clock, cancellationToken).ConfigureAwait(false);
        }

        var reason = $"Version {existing.Version} of '{existing.Model}' is already registered with sha256 {existing.Sha256}; "
            + $"a different file (sha256 {draft.Sha256}) was refused: versions are immutable, upload it as a new version.";
        var now = _time.GetUtcNow();
        await _registry.UpdateStateAsync(
            existing.Model,
            state => state.History.Any(h => h.Action == StateActions.Conflict && h.Reason == reason)
                ? null
                : state.WithChange(new StateChange(now, StateActions.Conflict, null, existing.Version, null, reason)),
            cancellationToken).ConfigureAwait(false);
        _knownConflicts[ModelStoreLayout.ModelBlob(existing.Model, existing.Version)] = draft.SourceETag;
        _logger.LogWarning("Refused a re-upload of {Model} v{Version}: {Reason}", existing.Model, existing.Version, reason);
        return new RegistrationResult(existing.Model, existing.Version, RegistrationOutcome.Conflict, existing, RegistrationStage.Store, reason, Elapsed(clock));
    }

    private async Task<RegistrationResult> RejectAsync(ManifestDraft draft, RegistrationStage stage, string reason, Stopwatch clock, CancellationToken cancellationToken)
    {
        var manifest = draft.Build(VersionStatus.Rejected, stage, _time.GetUtcNow()) with { Reason = reason };
        var stored = await StoreManifestAsync(manifest, clock, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return stored;
        }

        _logger.LogWarning("Rejected {Model} v{Version} at stage {Stage}: {Reason}", draft.Model, draft.Version, stage, reason);
        return new RegistrationResult(draft.Model, draft.Version, RegistrationOutcome.Rejected, manifest, stage, reason, Elapsed(clock));
    }

    /// <summary>Writes the manifest if none exists; when another registration got there first, returns how this one compares.</summary>
    private async Task<RegistrationResult?> StoreManifestAsync(VersionManifest manifest, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new MemoryStream(RegistryJson.Serialize(manifest));
            await _store.PutAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.ManifestBlob(manifest.Model, manifest.Version), content, BlobCondition.IfAbsent, null, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (BlobConditionFailedException)
        {
            var winner = await _registry.GetManifestAsync(manifest.Model, manifest.Version, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.Conflict, $"The manifest of '{manifest.Model}' v{manifest.Version} changed during its registration; retry.");
            var draft = new ManifestDraft(manifest.Model, manifest.Version, manifest.SizeBytes, manifest.SourceETag ?? string.Empty) { Sha256 = manifest.Sha256 };
            return await CompareWithExistingAsync(winner, draft, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: a baseline written for a manifest that could not be written is removed again.</summary>
    private async Task DeleteOrphanBaselineAsync(string model, int version)
    {
        try
        {
            await _store.DeleteAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, version), BlobCondition.None, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BlobStoreException ex)
        {
            _logger.LogWarning(ex, "Could not remove the baseline of {Model} v{Version} after a failed registration; the retry overwrites it", model, version);
        }
    }

    private async Task DownloadCompanionsAsync(string model, int version, string work, CancellationToken cancellationToken)
    {
        var prefix = ModelStoreLayout.VersionFolder(model, version);
        var root = Path.GetFullPath(work) + Path.DirectorySeparatorChar;
        await foreach (var item in _store.ListAsync(ModelStoreLayout.ModelsContainer, prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = item.Name[prefix.Length..];
            if (relative == ModelStoreLayout.ModelFileName || relative.Split('/').Any(s => s is "" or "." or ".."))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(work, relative));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await _store.DownloadToFileAsync(ModelStoreLayout.ModelsContainer, item.Name, target, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }

    private void DeleteFolder(string work)
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Could not delete the registration work folder {Folder}", work);
        }
    }

    private static double Elapsed(Stopwatch clock) => Math.Round(clock.Elapsed.TotalMilliseconds, 3);
}
