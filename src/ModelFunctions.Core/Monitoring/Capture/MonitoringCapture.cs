using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// The capture on the request path: every request updates its version's open window (counts by outcome,
/// latency, and, for a sampled share of successful requests, per-feature statistics against the version's
/// baseline; features are named as <see cref="FeatureNaming"/> says). Windows are written to the monitoring
/// container by <see cref="FlushAsync"/>, which a hosted service calls on a timer and at shutdown.
/// </summary>
public sealed class MonitoringCapture : IInferenceObserver
{
    private readonly ConcurrentDictionary<(string Model, int Version), VersionCapture> _versions = new();
    private readonly IBlobStore _store;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MonitoringCapture> _logger;
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>Creates the capture.</summary>
    public MonitoringCapture(IBlobStore store, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<MonitoringCapture> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        InstanceId = string.IsNullOrWhiteSpace(_options.InstanceId) ? DefaultInstanceId() : _options.InstanceId;
    }

    /// <summary>This instance's name in window blob names.</summary>
    public string InstanceId { get; }

    /// <inheritdoc />
    public void Completed(
        string model,
        int version,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor>? outputs,
        RequestOutcome outcome,
        TimeSpan duration)
    {
        if (!_options.Enabled || version <= 0)
        {
            return;
        }

        try
        {
            var capture = _versions.GetOrAdd((model, version), static (key, self) => self.Create(key.Model, key.Version), this);
            if (capture.TryStartLoad())
            {
                StartLoadingBaselines(capture);
            }

            capture.Record(inputs, outputs, outcome, duration.TotalMilliseconds, _time.GetUtcNow());
        }
        catch (Exception ex)
        {
            // The request path must never fail because of monitoring, whatever went wrong here.
            _logger.LogWarning(ex, "Capture of a {Model} v{Version} request failed", model, version);
        }
    }

    // A method of its own: a lambda capturing the local above would make every call allocate its closure.
    private void StartLoadingBaselines(VersionCapture capture) =>
        _ = Task.Run(() => LoadBaselinesAsync(capture, CancellationToken.None));

    /// <summary>
    /// Writes every closed window (and, when <paramref name="includeOpen"/>, a snapshot of the open ones, which a
    /// later flush overwrites) to <c>{model}/{version}/windows/{start}/{instance}.json</c>, and saves baselines
    /// learned since the last flush. Failures are logged; closed windows stay pending (bounded) for the next try.
    /// </summary>
    /// <param name="includeOpen">Whether the open windows are written too (checks run now, shutdown).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The number of windows written.</returns>
    public async Task<int> FlushAsync(bool includeOpen, CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var written = 0;
            foreach (var capture in _versions.Values)
            {
                capture.Roll(now);
                await SaveLearnedAsync(capture, cancellationToken).ConfigureAwait(false);
                foreach (var (window, json, closed) in capture.Snapshot(includeOpen))
                {
                    var name = MonitoringLayout.WindowBlob(capture.Model, capture.Version, window.Start, InstanceId);
                    try
                    {
                        using var content = new MemoryStream(json, writable: false);
                        await _store.PutAsync(ModelStoreLayout.MonitoringContainer, name, content, BlobCondition.None, null, cancellationToken).ConfigureAwait(false);
                        written++;
                        if (closed)
                        {
                            capture.MarkFlushed(window);
                        }
                    }
                    catch (Exception ex) when (ex is BlobStoreException or IOException or HttpRequestException)
                    {
                        _logger.LogWarning(ex, "Could not write monitoring window {Blob}; it stays pending", name);
                    }
                }
            }

            return written;
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private VersionCapture Create(string model, int version) =>
        new(model, version, InstanceId, _options, RandomNumberGenerator.GetInt32(int.MaxValue));

    private async Task LoadBaselinesAsync(VersionCapture capture, CancellationToken cancellationToken)
    {
        ModelBaseline? reference = null;
        ModelBaseline? learned = null;
        try
        {
            reference = await ReadAsync<ModelBaseline>(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(capture.Model, capture.Version), cancellationToken).ConfigureAwait(false);
            learned = await ReadAsync<ModelBaseline>(ModelStoreLayout.MonitoringContainer, MonitoringLayout.LearnedBaselineBlob(capture.Model, capture.Version), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BlobStoreException or IOException or JsonException or HttpRequestException)
        {
            _logger.LogWarning(ex, "Could not read the baselines of {Model} v{Version}; features will be learned from traffic", capture.Model, capture.Version);
        }

        capture.SetBaselines(reference, learned, _time.GetUtcNow());
    }

    private async Task SaveLearnedAsync(VersionCapture capture, CancellationToken cancellationToken)
    {
        var unsaved = capture.UnsavedLearned();
        if (unsaved.Count == 0)
        {
            return;
        }

        var name = MonitoringLayout.LearnedBaselineBlob(capture.Model, capture.Version);
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                await using var download = await _store.OpenReadAsync(ModelStoreLayout.MonitoringContainer, name, cancellationToken).ConfigureAwait(false);
                ModelBaseline? stored = null;
                if (download is not null)
                {
                    using var buffer = new MemoryStream();
                    await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                    stored = RegistryJson.Deserialize<ModelBaseline>(buffer.ToArray());
                }

                // First writer wins per feature, so every instance bins a feature the same way.
                var features = new Dictionary<string, FeatureBaseline>(stored?.Features ?? new Dictionary<string, FeatureBaseline>(), StringComparer.Ordinal);
                var names = stored?.FeatureNames.ToList() ?? [];
                foreach (var (feature, baseline) in unsaved)
                {
                    if (features.TryAdd(feature, baseline))
                    {
                        names.Add(feature);
                    }
                }

                var document = new ModelBaseline(capture.Model, capture.Version, _options.LearnedBaselineSize, names, features);
                var condition = download is null ? BlobCondition.IfAbsent : BlobCondition.IfETagMatches(download.Item.ETag);
                try
                {
                    using var content = new MemoryStream(RegistryJson.Serialize(document), writable: false);
                    await _store.PutAsync(ModelStoreLayout.MonitoringContainer, name, content, condition, null, cancellationToken).ConfigureAwait(false);
                }
                catch (BlobConditionFailedException)
                {
                    continue;
                }

                capture.AdoptLearned(features);
                if (!capture.HasReferenceBaseline)
                {
                    await RecordAsRegistryBaselineAsync(capture, document, cancellationToken).ConfigureAwait(false);
                }

                _logger.LogInformation("Learned baselines of {Model} v{Version} saved: {Features}", capture.Model, capture.Version, string.Join(", ", unsaved.Keys));
                return;
            }
        }
        catch (Exception ex) when (ex is BlobStoreException or IOException or JsonException or HttpRequestException)
        {
            _logger.LogWarning(ex, "Could not save the learned baselines of {Model} v{Version}", capture.Model, capture.Version);
        }
    }

    private async Task RecordAsRegistryBaselineAsync(VersionCapture capture, ModelBaseline learned, CancellationToken cancellationToken)
    {
        // A version without reference.csv: its inputs' learned profile becomes the version's baseline.
        var inputs = learned.Features
            .Where(pair => capture.IsInput(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var document = learned with { Features = inputs, FeatureNames = learned.FeatureNames.Where(inputs.ContainsKey).ToArray() };
        try
        {
            using var content = new MemoryStream(RegistryJson.Serialize(document), writable: false);
            await _store.PutAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(capture.Model, capture.Version), content, BlobCondition.IfAbsent, null, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException)
        {
            // Recorded already, by this instance or another.
        }
    }

    private async Task<T?> ReadAsync<T>(string container, string name, CancellationToken cancellationToken)
        where T : class
    {
        await using var download = await _store.OpenReadAsync(container, name, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return RegistryJson.Deserialize<T>(buffer.ToArray());
    }

    private static string DefaultInstanceId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}");
}
