using System.Globalization;
using System.Text.Json;
using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Reports;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>
/// The per-feature part of a version's check: drift of each input and output against its baseline, the
/// data-quality rates of each input, and the dataset-level drift share, decided together so that the version's
/// test decisions share one false-alarm budget.
/// </summary>
/// <remarks>
/// Every decision made by a test (a drift policy on <c>chiSquared</c> or <c>kolmogorovSmirnov</c>, and every
/// data-quality rate with enough observations) counts toward m, the number of test decisions in this check; each is
/// taken at its family rate over m (Bonferroni). With the defaults (0.01 for drift and for data quality) the chance
/// that a check of an unchanged version fires anything is at most 0.01. Features below their minimum count make no
/// decision and do not count. Distance policies decide against their threshold alone and state no rate.
/// </remarks>
public static class FeatureChecks
{
    /// <summary>Signal of the dataset-level drift share.</summary>
    public const string DatasetDriftSignal = "datasetDrift";

    /// <summary>Checks a version's merged feature windows.</summary>
    /// <param name="version">Version number, for the signals.</param>
    /// <param name="windows">The merged feature windows, inputs and outputs.</param>
    /// <param name="reference">The registry baseline (from reference.csv), if any.</param>
    /// <param name="learned">The baselines learned from traffic, if any.</param>
    /// <param name="settings">The model's monitoring settings.</param>
    /// <param name="learning">Features still learning their baselines, reported with their progress.</param>
    public static FeatureCheckResult Run(
        int version,
        IReadOnlyList<FeatureWindow> windows,
        ModelBaseline? reference,
        ModelBaseline? learned,
        MonitoringSettings settings,
        IReadOnlyDictionary<string, LearningProgress>? learning = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(settings);
        var evaluator = new DriftEvaluator(settings.Drift.ToEvaluatorOptions());
        var quality = settings.DataQuality;

        // First pass: every metric and p-value, and which features can be decided at all.
        var features = new List<FeatureReport>();
        foreach (var feature in windows.Where(f => !f.IsOutput || settings.Drift.Outputs))
        {
            var (baseline, source) = !feature.IsOutput && reference?.Features.GetValueOrDefault(feature.Name) is { } fromReference
                ? (fromReference, "reference")
                : learned?.Features.GetValueOrDefault(feature.Name) is { } fromTraffic ? (fromTraffic, "learned") : ((FeatureBaseline?)null, "none");
            features.Add(Describe(feature, baseline, source, evaluator));
        }

        foreach (var (name, progress) in learning ?? new Dictionary<string, LearningProgress>())
        {
            if ((!progress.IsOutput || settings.Drift.Outputs) && !features.Exists(f => string.Equals(f.Name, name, StringComparison.Ordinal)))
            {
                features.Add(new FeatureReport { Name = name, IsOutput = progress.IsOutput, Baseline = "learning", Learning = progress });
            }
        }

        var rated = windows.Where(f => !f.IsOutput && f.Count > 0).ToList();
        var decisions = features.Count(f => f.Drift is { Verdict: not DriftVerdict.InsufficientData } d && DriftEvaluator.IsTest(d.DecisionMetric))
            + (2 * rated.Count(f => f.Count >= quality.MinimumSampleSize));
        var family = Math.Max(1, decisions);

        // Second pass: the verdicts, each test at its share of the budget.
        var signals = new List<SignalEvaluation>();
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i].Drift is not { } first)
            {
                continue;
            }

            var drift = evaluator.Decide(first, family);
            features[i] = features[i] with { Drift = drift };
            var name = (features[i].IsOutput ? "predictionDrift:" : "drift:") + features[i].Name;
            signals.Add(new SignalEvaluation(
                version,
                name,
                AlertCategory.Drift,
                MetricName(drift.DecisionMetric),
                drift.DecisionValue ?? double.NaN,
                drift.Threshold,
                drift.Verdict == DriftVerdict.InsufficientData ? null : drift.Verdict == DriftVerdict.Drift,
                DriftDetail(drift, family)));
        }

        foreach (var feature in rated)
        {
            signals.AddRange(Quality(version, feature, quality, family));
        }

        var dataset = DatasetDrift(features, settings.Drift.DatasetDriftShare);
        if (dataset is not null)
        {
            signals.Add(new SignalEvaluation(
                version,
                DatasetDriftSignal,
                AlertCategory.Drift,
                "driftedShare",
                dataset.Share,
                dataset.Threshold,
                dataset.Drifted,
                string.Create(CultureInfo.InvariantCulture, $"{dataset.DriftedFeatures} of {dataset.DecidedFeatures} decided input features drifted (share {dataset.Share:G3}, threshold {dataset.Threshold:G3})")));
        }

        return new FeatureCheckResult(features, signals, dataset, decisions);
    }

    private static DatasetDriftReport? DatasetDrift(IReadOnlyList<FeatureReport> features, double share)
    {
        var decided = features.Where(f => !f.IsOutput && f.Drift is { Verdict: not DriftVerdict.InsufficientData }).ToList();
        if (decided.Count == 0)
        {
            return null;
        }

        var drifted = decided.Count(f => f.Drift!.Verdict == DriftVerdict.Drift);
        var observed = (double)drifted / decided.Count;
        return new DatasetDriftReport(decided.Count, drifted, observed, share, observed >= share);
    }

    private static IEnumerable<SignalEvaluation> Quality(int version, FeatureWindow feature, DataQualitySettings settings, int family)
    {
        var enough = feature.Count >= settings.MinimumSampleSize;
        long missing;
        long outOfRange;
        long valid;
        if (feature.Numeric is { } numeric)
        {
            missing = numeric.MissingCount + numeric.NonFiniteCount;
            outOfRange = numeric.OutOfRangeCount;
            valid = numeric.ValidCount;
        }
        else
        {
            var categorical = feature.Categorical!;
            missing = categorical.MissingCount;
            outOfRange = categorical.OtherCount;
            valid = categorical.ValidCount;
        }

        var level = settings.FalseAlarmRate / family;
        yield return Rate(version, "missing:" + feature.Name, "missingRate", missing, feature.Count, settings.MaxMissingRate, level, enough);
        yield return Rate(version, "outOfRange:" + feature.Name, "outOfRangeRate", outOfRange, valid, settings.MaxOutOfRangeRate, level, enough && valid > 0);
    }

    /// <summary>
    /// A rate signal: breached when the exact one-sided binomial test rejects "the rate is at most the limit" at
    /// the decision's level; the value shown is the observed rate.
    /// </summary>
    private static SignalEvaluation Rate(int version, string signal, string metric, long count, long total, double limit, double level, bool decide)
    {
        var rate = total == 0 ? 0.0 : (double)count / total;
        if (!decide)
        {
            return new SignalEvaluation(version, signal, AlertCategory.DataQuality, metric, rate, limit, null);
        }

        var p = DriftMetrics.BinomialUpperTail(count, total, limit);
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"{metric} {rate:G3} ({count} of {total}) against a limit of {limit:G3}: binomial test p = {p:G3}, level {level:G3}");
        return new SignalEvaluation(version, signal, AlertCategory.DataQuality, metric, rate, limit, p < level, detail);
    }

    private static string DriftDetail(FeatureDriftReport drift, int family)
    {
        var metric = MetricName(drift.DecisionMetric);
        if (drift.Verdict == DriftVerdict.InsufficientData)
        {
            return string.Create(CultureInfo.InvariantCulture, $"insufficient data: {drift.SampleSize} of {drift.MinimumSampleSize} values needed");
        }

        var decision = DriftEvaluator.IsTest(drift.DecisionMetric)
            ? string.Create(CultureInfo.InvariantCulture, $"{metric} p = {drift.DecisionValue:G3}, level {drift.Threshold:G3} ({family} test decisions share the false-alarm rate)")
            : string.Create(CultureInfo.InvariantCulture, $"{metric} = {drift.DecisionValue:G3}, threshold {drift.Threshold:G3}");
        var distances = drift.Kind == FeatureKind.Numeric
            ? string.Create(CultureInfo.InvariantCulture, $"PSI {drift.PopulationStabilityIndex:G3}, normalized Wasserstein {drift.NormalizedWasserstein:G3}")
            : string.Create(CultureInfo.InvariantCulture, $"PSI {drift.PopulationStabilityIndex:G3}, Jensen-Shannon {drift.JensenShannon:G3}");
        return string.Create(CultureInfo.InvariantCulture, $"{decision}; {distances}; {drift.SampleSize} values");
    }

    private static FeatureReport Describe(FeatureWindow feature, FeatureBaseline? baseline, string source, DriftEvaluator evaluator)
    {
        var report = new FeatureReport { Name = feature.Name, IsOutput = feature.IsOutput, Count = feature.Count };
        if (baseline is null)
        {
            return report;
        }

        if (feature.Numeric is { } numeric && baseline.Kind == FeatureKind.Numeric && baseline.BinEdges is { } edges && edges.AsSpan().SequenceEqual(numeric.BinEdges))
        {
            return report with
            {
                Baseline = source,
                Drift = evaluator.Evaluate(baseline, numeric),
                Labels = BinLabels(edges),
                ReferenceCounts = baseline.ReferenceCounts(),
                CurrentCounts = numeric.Histogram.Select(c => (double)c).ToArray(),
            };
        }

        if (feature.Categorical is { } categorical && baseline.Kind == FeatureKind.Categorical && baseline.Categories is { } categories && categories.AsSpan().SequenceEqual(categorical.Categories))
        {
            return report with
            {
                Baseline = source,
                Drift = evaluator.Evaluate(baseline, categorical),
                Labels = categories.Append("other").ToArray(),
                ReferenceCounts = baseline.ReferenceCounts(),
                CurrentCounts = categorical.CurrentCounts(),
            };
        }

        return report;
    }

    private static string[] BinLabels(double[] edges)
    {
        var labels = new List<string>(edges.Length + 1) { "< " + Format(edges[0]) };
        for (var i = 1; i < edges.Length; i++)
        {
            labels.Add(Format(edges[i - 1]) + " - " + Format(edges[i]));
        }

        labels.Add("> " + Format(edges[^1]));
        return labels.ToArray();
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string MetricName(DriftMetric metric) => JsonNamingPolicy.CamelCase.ConvertName(metric.ToString());
}
