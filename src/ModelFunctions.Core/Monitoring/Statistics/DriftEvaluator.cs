namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Compares a serving window with its feature's baseline: every metric, and a verdict from the decision metric
/// chosen for the feature's kind.
/// </summary>
/// <remarks>
/// Numeric features: PSI, Jensen-Shannon, Chebyshev and the chi-squared homogeneity test over the baseline's bins
/// with the outer ones open-ended (underflow counted in the first bin, overflow in the last: values beyond the
/// reference range are their own data-quality signal), Wasserstein
/// (raw and normalized by the reference standard deviation) and the KS test between the baseline's sorted sample and
/// the window's reservoir. Categorical features: PSI, Jensen-Shannon, Chebyshev and the chi-squared homogeneity test
/// over the baseline's categories plus "other". Missing values are excluded from every metric and reported as a rate.
/// The histogram-based metrics see every value of the window; KS and Wasserstein see the reservoir.
/// </remarks>
public sealed class DriftEvaluator
{
    private readonly DriftEvaluatorOptions _options;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="options">Thresholds; the defaults when null.</param>
    /// <exception cref="ArgumentException">A decision metric does not apply to its kind, or a threshold is out of range.</exception>
    public DriftEvaluator(DriftEvaluatorOptions? options = null)
    {
        _options = options ?? new DriftEvaluatorOptions();
        _options = _options with { Numeric = _options.Numeric?.WithDefaultThreshold()!, Categorical = _options.Categorical?.WithDefaultThreshold()! };
        Validate(_options.Numeric, null, nameof(DriftEvaluatorOptions.Numeric));
        Validate(_options.Categorical, DriftMetric.KolmogorovSmirnov, nameof(DriftEvaluatorOptions.Categorical));
        Validate(_options.Categorical, DriftMetric.NormalizedWasserstein, nameof(DriftEvaluatorOptions.Categorical));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MinimumSampleSize);
    }

    /// <summary>Evaluates a numeric feature.</summary>
    /// <param name="baseline">Its numeric baseline.</param>
    /// <param name="window">A window built over the same bins.</param>
    /// <param name="featureCount">Number of test decisions sharing the false-alarm budget, for the Bonferroni correction.</param>
    public FeatureDriftReport Evaluate(FeatureBaseline baseline, NumericFeatureWindow window, int featureCount = 1)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (baseline.Kind != FeatureKind.Numeric || baseline.BinEdges is null || baseline.Sample is null)
        {
            throw new ArgumentException("The baseline is not numeric.", nameof(baseline));
        }

        if (!baseline.BinEdges.AsSpan().SequenceEqual(window.BinEdges))
        {
            throw new ArgumentException("The window was not built over this baseline's bins.", nameof(window));
        }

        var report = new FeatureDriftReport
        {
            Kind = FeatureKind.Numeric,
            SampleSize = window.ValidCount,
            MissingRate = Rate(window.MissingCount, window.Count),
            NonFiniteRate = Rate(window.NonFiniteCount, window.Count),
            OutOfRangeRate = Rate(window.OutOfRangeCount, window.ValidCount),
        };
        if (window.ValidCount == 0)
        {
            return Decide(report, featureCount);
        }

        // Open-ended outer bins, the convention the usual PSI and Jensen-Shannon bands assume: a value beyond the
        // reference range counts in the first or last bin (and in the out-of-range rate), not in an empty bucket.
        var reference = OpenEnded(baseline.ReferenceCounts());
        var current = OpenEnded(window.Histogram.Select(count => (double)count).ToArray());
        var sample = window.Reservoir.ToSortedArray();
        var wasserstein = DriftMetrics.WassersteinDistanceSorted(baseline.Sample, sample);
        report = report with
        {
            PopulationStabilityIndex = DriftMetrics.PopulationStabilityIndex(reference, current),
            JensenShannon = DriftMetrics.JensenShannonDistance(reference, current),
            Chebyshev = DriftMetrics.ChebyshevDistance(Proportions(reference), Proportions(current)),
            Wasserstein = wasserstein,
            NormalizedWasserstein = DriftMetrics.NormalizedWassersteinDistance(wasserstein, baseline.StandardDeviation),
            KolmogorovSmirnov = KolmogorovSmirnov.TwoSampleSorted(baseline.Sample, sample, _options.KolmogorovSmirnovMethod),
            ChiSquared = DriftMetrics.ChiSquaredHomogeneity(current, reference),
        };
        return Decide(report, featureCount);
    }

    /// <summary>Evaluates a categorical feature.</summary>
    /// <param name="baseline">Its categorical baseline.</param>
    /// <param name="window">A window built over the same categories.</param>
    /// <param name="featureCount">Number of test decisions sharing the false-alarm budget, for the Bonferroni correction.</param>
    public FeatureDriftReport Evaluate(FeatureBaseline baseline, CategoricalFeatureWindow window, int featureCount = 1)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (baseline.Kind != FeatureKind.Categorical || baseline.Categories is null)
        {
            throw new ArgumentException("The baseline is not categorical.", nameof(baseline));
        }

        if (!baseline.Categories.AsSpan().SequenceEqual(window.Categories))
        {
            throw new ArgumentException("The window was not built over this baseline's categories.", nameof(window));
        }

        var report = new FeatureDriftReport
        {
            Kind = FeatureKind.Categorical,
            SampleSize = window.ValidCount,
            MissingRate = Rate(window.MissingCount, window.Count),
            OutOfRangeRate = Rate(window.OtherCount, window.ValidCount),
        };
        if (window.ValidCount == 0)
        {
            return Decide(report, featureCount);
        }

        var reference = baseline.ReferenceCounts();
        var current = window.CurrentCounts();
        report = report with
        {
            PopulationStabilityIndex = DriftMetrics.PopulationStabilityIndex(reference, current),
            JensenShannon = DriftMetrics.JensenShannonDistance(reference, current),
            Chebyshev = DriftMetrics.ChebyshevDistance(Proportions(reference), Proportions(current)),
            ChiSquared = DriftMetrics.ChiSquaredHomogeneity(current, reference),
        };
        return Decide(report, featureCount);
    }

    /// <summary>Whether a metric is a test's p-value (drift below the level) rather than a distance (drift above it).</summary>
    /// <param name="metric">The metric.</param>
    public static bool IsTest(DriftMetric metric) => metric is DriftMetric.KolmogorovSmirnov or DriftMetric.ChiSquared;

    /// <summary>
    /// Decides (again) a report's verdict under its kind's policy, for a family of <paramref name="decisions"/> test
    /// decisions: a test metric's level is the policy's threshold over that count when the Bonferroni correction is on.
    /// </summary>
    /// <param name="report">A report from <see cref="Evaluate(FeatureBaseline, NumericFeatureWindow, int)"/> or its categorical twin.</param>
    /// <param name="decisions">Number of test decisions sharing the false-alarm budget, at least 1.</param>
    public FeatureDriftReport Decide(FeatureDriftReport report, int decisions)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(decisions, 1);
        var policy = report.Kind == FeatureKind.Numeric ? _options.Numeric : _options.Categorical;
        var isPValue = IsTest(policy.Metric);
        var threshold = isPValue && _options.BonferroniCorrection ? policy.Threshold / decisions : policy.Threshold;
        double? value = policy.Metric switch
        {
            DriftMetric.NormalizedWasserstein => report.NormalizedWasserstein,
            DriftMetric.JensenShannon => report.JensenShannon,
            DriftMetric.PopulationStabilityIndex => report.PopulationStabilityIndex,
            DriftMetric.KolmogorovSmirnov => report.KolmogorovSmirnov?.PValue,
            DriftMetric.ChiSquared => report.ChiSquared?.PValue,
            DriftMetric.Chebyshev => report.Chebyshev,
            _ => null,
        };

        DriftVerdict verdict;
        if (report.SampleSize < _options.MinimumSampleSize || value is null)
        {
            verdict = DriftVerdict.InsufficientData;
        }
        else if (isPValue)
        {
            verdict = value < threshold ? DriftVerdict.Drift : DriftVerdict.NoDrift;
        }
        else if (value > threshold)
        {
            verdict = DriftVerdict.Drift;
        }
        else if (policy.Metric == DriftMetric.PopulationStabilityIndex && value >= _options.PsiWarningThreshold)
        {
            verdict = DriftVerdict.Warning;
        }
        else
        {
            verdict = DriftVerdict.NoDrift;
        }

        return report with
        {
            DecisionMetric = policy.Metric,
            DecisionValue = value,
            Threshold = threshold,
            Verdict = verdict,
            MinimumSampleSize = _options.MinimumSampleSize,
        };
    }

    /// <summary>
    /// Counts over bins with the outer bins open-ended: underflow added to the first regular bin, overflow to the
    /// last. A constant feature's histogram (one regular bin) is kept as below, equal and above.
    /// </summary>
    private static double[] OpenEnded(double[] counts)
    {
        if (counts.Length < 4)
        {
            return counts;
        }

        var open = counts[1..^1];
        open[0] += counts[0];
        open[^1] += counts[^1];
        return open;
    }

    private static void Validate(FeatureDriftPolicy policy, DriftMetric? forbidden, string name)
    {
        ArgumentNullException.ThrowIfNull(policy, name);
        if (policy.Metric == forbidden)
        {
            throw new ArgumentException($"{policy.Metric} does not apply to {name} features.", name);
        }

        if (!Enum.IsDefined(policy.Metric) || !double.IsFinite(policy.Threshold) || policy.Threshold < 0)
        {
            throw new ArgumentException("The policy needs a known metric and a non-negative finite threshold.", name);
        }

        if (IsTest(policy.Metric) && policy.Threshold is <= 0 or > 1)
        {
            throw new ArgumentException($"The threshold of {policy.Metric} is a false-alarm rate: above 0 and at most 1.", name);
        }
    }

    private static double Rate(long part, long total) => total == 0 ? 0.0 : (double)part / total;

    private static double[] Proportions(double[] counts)
    {
        var total = counts.Sum();
        return counts.Select(count => count / total).ToArray();
    }
}
