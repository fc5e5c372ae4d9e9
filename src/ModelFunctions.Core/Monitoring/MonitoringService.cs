using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Checks;
using ModelFunctions.Core.Monitoring.Reports;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tracing;

namespace ModelFunctions.Core.Monitoring;

/// <summary>
/// Runs the monitoring checks over the windows every instance flushed: drift and data quality per feature and
/// output, error rates and p95 latency per version, alert transitions to the sinks, canary rollbacks and
/// promotions; and keeps the latest report per model. The entry points the timers call are
/// <see cref="RunDriftChecksAsync"/>, <see cref="RunHealthChecksAsync"/> and <see cref="FlushCaptureAsync"/>.
/// </summary>
public sealed class MonitoringService
{
    private const int RecentEventCount = 50;

    private readonly ModelRegistry _registry;
    private readonly IBlobStore _store;
    private readonly MonitoringCapture _capture;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MonitoringService> _logger;
    private readonly AlertStore _alerts;
    private readonly AlertDispatcher _dispatcher;

    /// <summary>Creates the service.</summary>
    public MonitoringService(
        ModelRegistry registry,
        IBlobStore store,
        MonitoringCapture capture,
        IEnumerable<IAlertSink> sinks,
        IOptions<MonitoringOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _registry = registry;
        _store = store;
        _capture = capture;
        _options = options.Value;
        _time = time;
        _logger = loggerFactory.CreateLogger<MonitoringService>();
        _alerts = new AlertStore(store);
        _dispatcher = new AlertDispatcher(sinks, loggerFactory.CreateLogger<AlertDispatcher>());
    }

    /// <summary>Writes this instance's windows (the open ones included) to the store.</summary>
    /// <returns>The number of windows written.</returns>
    public Task<int> FlushCaptureAsync(CancellationToken cancellationToken) => _capture.FlushAsync(includeOpen: true, cancellationToken);

    /// <summary>Flushes this instance's capture, then runs drift, data quality, health and canary checks for every model.</summary>
    public Task<IReadOnlyList<MonitoringReport>> RunChecksAsync(CancellationToken cancellationToken) => RunAsync(drift: true, health: true, cancellationToken);

    /// <summary>Drift and data quality checks (the drift timer).</summary>
    public Task<IReadOnlyList<MonitoringReport>> RunDriftChecksAsync(CancellationToken cancellationToken) => RunAsync(drift: true, health: false, cancellationToken);

    /// <summary>Error rate, latency and canary checks (the health timer).</summary>
    public Task<IReadOnlyList<MonitoringReport>> RunHealthChecksAsync(CancellationToken cancellationToken) => RunAsync(drift: false, health: true, cancellationToken);

    /// <summary>The latest stored report of a model, or null when none was made.</summary>
    public async Task<MonitoringReport?> GetLatestReportAsync(string model, CancellationToken cancellationToken)
    {
        if (ModelNames.Validate(model) is not null)
        {
            return null;
        }

        return await ReadAsync<MonitoringReport>(ModelStoreLayout.MonitoringContainer, MonitoringLayout.ReportBlob(model), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Alert states and history of a model.</summary>
    public Task<AlertDocument> GetAlertsAsync(string model, CancellationToken cancellationToken) => _alerts.GetAsync(model, cancellationToken);

    private async Task<IReadOnlyList<MonitoringReport>> RunAsync(bool drift, bool health, CancellationToken cancellationToken)
    {
        using var span = ServingActivities.Source.StartActivity(ServingActivities.Monitoring);
        span?.SetTag("modelfunctions.checks", drift && health ? "drift,health" : drift ? "drift" : "health");
        await _capture.FlushAsync(includeOpen: true, cancellationToken).ConfigureAwait(false);
        var reports = new List<MonitoringReport>();
        foreach (var summary in await _registry.ListModelsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                reports.Add(await CheckModelAsync(summary.Model, drift, health, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One model's failure must not keep the others unchecked.
                _logger.LogError(ex, "Monitoring checks of {Model} failed", summary.Model);
            }
        }

        span?.SetTag("modelfunctions.models", reports.Count);
        return reports;
    }

    private async Task<MonitoringReport> CheckModelAsync(string model, bool drift, bool health, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var state = await _registry.GetStateAsync(model, cancellationToken).ConfigureAwait(false);
        var settings = MonitoringSettings.Default;
        var policy = PromotionPolicy.Auto;
        try
        {
            var modelSettings = await _registry.GetSettingsAsync(model, cancellationToken).ConfigureAwait(false);
            policy = modelSettings.Policy;
            settings = MonitoringSettings.Parse(modelSettings.Monitoring);
        }
        catch (RegistryException ex)
        {
            problems.Add(ex.Message);
            _logger.LogWarning("Monitoring of {Model} uses default thresholds: {Problem}", model, ex.Message);
        }

        var now = _time.GetUtcNow();
        var lookback = settings.LookbackMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : _options.Lookback;
        var from = now - lookback;
        var versions = new List<VersionReport>();
        var fresh = new List<VersionReport>();
        var evaluations = new List<SignalEvaluation>();
        MonitoringReport? previous = null;
        var previousRead = false;
        foreach (var (version, role) in ServedVersions(state))
        {
            var report = await CheckVersionAsync(model, version, role, from, settings, cancellationToken).ConfigureAwait(false);
            fresh.Add(report);
            evaluations.AddRange(report.Signals.Where(s => drift
                ? s.Category is AlertCategory.Drift or AlertCategory.DataQuality || health
                : s.Category is AlertCategory.ErrorRate or AlertCategory.Latency));

            // An empty lookback has nothing to say: the report keeps the last evidence, marked as such.
            // The last report is read only then, at most once per model.
            if (report.Windows == 0 && !previousRead)
            {
                previous = await GetLatestReportAsync(model, cancellationToken).ConfigureAwait(false);
                previousRead = true;
            }

            versions.Add(report.Windows == 0 && LastEvidence(previous, version) is { } last
                ? last with { Role = role, WindowEmpty = true, EvidenceFrom = last.EvidenceFrom ?? previous!.GeneratedAt }
                : report);
        }

        var cooldown = TimeSpan.FromMinutes(settings.CooldownMinutes);
        var served = versions.Select(v => v.Version).ToArray();
        var (events, document) = await _alerts.UpdateAsync(
            model,
            doc => (AlertStateMachine.Apply(doc, evaluations, now, cooldown).Concat(AlertStateMachine.Retire(doc, served, now)).ToArray(), doc),
            cancellationToken).ConfigureAwait(false);
        await _dispatcher.DispatchAsync(model, events, evaluations, cancellationToken).ConfigureAwait(false);

        string? decision = null;
        if (health && policy == PromotionPolicy.Canary && settings.Canary.Automatic && state.Canary is { } canary)
        {
            var canaryReport = fresh.Find(v => v.Version == canary);
            if (canaryReport is not null)
            {
                if (await DecideCanaryAsync(model, state, canaryReport, settings.Canary, now, cancellationToken).ConfigureAwait(false) is { } decided)
                {
                    (decision, document) = decided;
                }
            }
        }

        var result = new MonitoringReport
        {
            Model = model,
            GeneratedAt = now,
            Checks = drift && health ? ["drift", "health"] : drift ? ["drift"] : ["health"],
            Production = state.Production,
            Canary = state.Canary,
            CanaryPercent = state.CanaryPercent,
            From = from,
            Versions = versions,
            Alerts = document.Alerts.ToArray(),
            RecentEvents = document.History.Skip(Math.Max(0, document.History.Count - RecentEventCount)).ToArray(),
            CanaryDecision = decision,
            Problems = problems,
        };
        using (var content = new MemoryStream(RegistryJson.Serialize(result), writable: false))
        {
            await _store.PutAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.ReportBlob(model), content, BlobCondition.None, null, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<(string Decision, AlertDocument Document)?> DecideCanaryAsync(
        string model,
        ModelState state,
        VersionReport canary,
        CanarySettings settings,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var total = canary.Requests.Total;
        if (total < settings.MinimumRequests)
        {
            return null;
        }

        var errorRate = canary.ServerErrorRate ?? 0;
        var p95 = canary.P95Ms ?? 0;
        AlertEvent? decision = null;
        if (errorRate > settings.MaxServerErrorRate || p95 > settings.LatencyP95Ms)
        {
            var (metric, value, threshold) = errorRate > settings.MaxServerErrorRate
                ? ("serverErrorRate", errorRate, settings.MaxServerErrorRate)
                : ("p95Ms", p95, settings.LatencyP95Ms);
            var reason = string.Create(CultureInfo.InvariantCulture, $"monitoring: canary v{canary.Version} {metric} {value:G4} above {threshold:G4}");
            await _registry.SetTrafficAsync(model, null, 0, reason, cancellationToken).ConfigureAwait(false);
            decision = new AlertEvent(AlertEventNames.CanaryRollback, model, canary.Version, "canary", metric, value, threshold, "rolledBack", now, reason);
        }
        else
        {
            var since = state.History.LastOrDefault(h => h.To == canary.Version && h.Action is StateActions.Traffic or StateActions.Register)?.At ?? now;
            var servedFor = now - since;
            if (total >= settings.PromoteAfterRequests && servedFor >= TimeSpan.FromMinutes(settings.PromoteAfterMinutes))
            {
                var reason = string.Create(CultureInfo.InvariantCulture, $"monitoring: canary v{canary.Version} healthy for {total} requests over {servedFor.TotalMinutes:0.#} min");
                await _registry.PromoteAsync(model, canary.Version, reason, cancellationToken).ConfigureAwait(false);
                decision = new AlertEvent(AlertEventNames.CanaryPromotion, model, canary.Version, "canary", "requests", total, settings.PromoteAfterRequests, "promoted", now, reason);
            }
        }

        if (decision is null)
        {
            return null;
        }

        _logger.LogInformation("Canary decision for {Model} v{Version}: {Decision} ({Reason})", model, canary.Version, decision.State, decision.Message);
        var document = await _alerts.UpdateAsync(model, doc => { doc.Append([decision]); return doc; }, cancellationToken).ConfigureAwait(false);
        await _dispatcher.DispatchAsync(model, [decision], [], cancellationToken).ConfigureAwait(false);
        return (decision.State, document);
    }

    private static VersionReport? LastEvidence(MonitoringReport? previous, int version) =>
        previous?.Versions.FirstOrDefault(v => v.Version == version && (v.Windows > 0 || v.EvidenceFrom is not null));

    private static IEnumerable<(int Version, string Role)> ServedVersions(ModelState state)
    {
        if (state.Production is { } production)
        {
            yield return (production, "production");
        }

        if (state.Canary is { } canary && canary != state.Production)
        {
            yield return (canary, "canary");
        }
    }

    private async Task<VersionReport> CheckVersionAsync(string model, int version, string role, DateTimeOffset from, MonitoringSettings settings, CancellationToken cancellationToken)
    {
        var merged = new VersionWindow { Model = model, Version = version, Start = from, End = from, Instances = [], WindowCount = 0 };
        var byStart = new SortedDictionary<DateTimeOffset, VersionWindow>();
        await foreach (var item in _store.ListAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.WindowsPrefix(model, version), cancellationToken).ConfigureAwait(false))
        {
            if (!MonitoringLayout.TryParseWindowStart(item.Name, out var start) || start + _options.WindowLength <= from)
            {
                continue;
            }

            var window = await ReadAsync<VersionWindow>(ModelStoreLayout.MonitoringContainer, item.Name, cancellationToken).ConfigureAwait(false);
            if (window is null)
            {
                continue;
            }

            if (byStart.TryGetValue(start, out var sameStart))
            {
                sameStart.Merge(window);
            }
            else
            {
                byStart[start] = RegistryJson.Deserialize<VersionWindow>(window.ToJson());
            }

            merged.Merge(window);
        }

        var reference = await ReadAsync<ModelBaseline>(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, version), cancellationToken).ConfigureAwait(false);
        var learned = await ReadAsync<ModelBaseline>(ModelStoreLayout.MonitoringContainer, MonitoringLayout.LearnedBaselineBlob(model, version), cancellationToken).ConfigureAwait(false);
        var checks = FeatureChecks.Run(version, merged.Features, reference, learned, settings, merged.Learning);
        var signals = checks.Signals.ToList();

        var requests = merged.Requests;
        double? serverRate = requests.Total == 0 ? null : (double)(requests.ServerError + requests.Unavailable) / requests.Total;
        double? clientRate = requests.Total == 0 ? null : (double)requests.ClientError / requests.Total;
        var p95 = merged.Latency.Percentile(0.95);
        var enough = requests.Total >= settings.Health.MinimumRequests;
        signals.Add(new SignalEvaluation(version, "serverErrorRate", AlertCategory.ErrorRate, "rate", serverRate ?? double.NaN, settings.Health.MaxServerErrorRate, enough ? serverRate > settings.Health.MaxServerErrorRate : null));
        signals.Add(new SignalEvaluation(version, "clientErrorRate", AlertCategory.ErrorRate, "rate", clientRate ?? double.NaN, settings.Health.MaxClientErrorRate, enough ? clientRate > settings.Health.MaxClientErrorRate : null));
        signals.Add(new SignalEvaluation(version, "latencyP95", AlertCategory.Latency, "p95Ms", p95 ?? double.NaN, settings.Health.LatencyP95Ms, enough ? p95 > settings.Health.LatencyP95Ms : null));

        return new VersionReport
        {
            Version = version,
            Role = role,
            Windows = merged.WindowCount,
            Instances = merged.Instances,
            Requests = requests,
            Rows = merged.Rows,
            ServerErrorRate = serverRate,
            ClientErrorRate = clientRate,
            P95Ms = p95,
            BaselineSource = reference is not null ? "reference" : learned is not null ? "learned" : "none",
            Signals = signals,
            Features = checks.Features,
            DatasetDrift = checks.DatasetDrift,
            TestDecisions = checks.TestDecisions,
            Series = byStart.Values
                .Select(w => new WindowPoint(w.Start, w.Requests.Total, w.Requests.ServerError + w.Requests.Unavailable, w.Requests.ClientError, w.Latency.Percentile(0.95)))
                .ToArray(),
        };
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
        try
        {
            return RegistryJson.Deserialize<T>(buffer.ToArray());
        }
        catch (JsonException ex)
        {
            _logger.LogWarning(ex, "Skipping malformed monitoring document {Blob}", name);
            return null;
        }
    }
}
