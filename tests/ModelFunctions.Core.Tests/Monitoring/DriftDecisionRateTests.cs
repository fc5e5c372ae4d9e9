using System.Globalization;
using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Checks;
using ModelFunctions.Core.Monitoring.Reports;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;
using Xunit.Abstractions;

namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>
/// The drift decisions at their default settings, through the same per-version check the monitoring run makes
/// (<see cref="FeatureChecks"/>): an 8-feature model (6 numeric of different shapes, 2 categorical) with a
/// 2,000-row reference; windows of 50 to 5,000 rows drawn from the reference's own distribution fire on at most
/// the stated 1 % of checks, and shifted windows fire on exactly the shifted features from the smallest window
/// the rule decides on.
/// </summary>
public sealed class DriftDecisionRateTests(ITestOutputHelper output)
{
    private const int ReferenceRows = 2000;
    private static readonly int[] WindowSizes = [50, 200, DriftEvaluatorOptions.DefaultMinimumSampleSize, 1000, 5000];
    private static readonly string[] Names = ["normal", "lognormal", "uniform", "exponential", "bimodal", "counts", "colour", "size"];
    private static readonly string[] Colours = ["red", "green", "blue", "grey"];
    private static readonly double[] ColourShares = [0.4, 0.25, 0.2, 0.15];
    private static readonly string[] Sizes = ["s", "m", "l", "xl", "xxl"];
    private static readonly double[] SizeShares = [0.3, 0.3, 0.2, 0.15, 0.05];

    [Fact]
    public void WindowsFromTheReferenceDistribution_FireOnAtMostOnePercentOfChecks()
    {
        const int seeds = 200;
        var baseline = Reference(seed: 1);
        var settings = MonitoringSettings.Default;
        var fired = new Dictionary<int, int>();
        var decided = new Dictionary<int, int>();
        var signalsFired = new List<string>();
        foreach (var size in WindowSizes)
        {
            for (var seed = 0; seed < seeds; seed++)
            {
                var random = new Random((size * 7919) + seed);
                var checks = FeatureChecks.Run(1, Window(baseline, random, size, Shift.None), baseline, null, settings);
                var breached = checks.Signals.Where(s => s.Breached == true).ToList();
                if (checks.Signals.Any(s => s.Category == AlertCategory.Drift && s.Breached is not null))
                {
                    decided[size] = decided.GetValueOrDefault(size) + 1;
                }

                if (breached.Count > 0)
                {
                    fired[size] = fired.GetValueOrDefault(size) + 1;
                    signalsFired.AddRange(breached.Select(s => string.Create(CultureInfo.InvariantCulture, $"{size} rows, seed {seed}: {s.Signal} ({s.Detail})")));
                }
            }
        }

        foreach (var size in WindowSizes)
        {
            output.WriteLine($"{size,5} rows: {fired.GetValueOrDefault(size)} of {seeds} checks fired, {decided.GetValueOrDefault(size)} decided drift");
        }

        signalsFired.ForEach(output.WriteLine);
        var total = WindowSizes.Length * seeds;
        var totalFired = fired.Values.Sum();
        output.WriteLine($"all: {totalFired} of {total} checks fired ({100.0 * totalFired / total:F2} %), stated rate 1 %");

        // Below the minimum window count nothing is decided, so nothing can fire.
        Assert.Equal(0, decided.GetValueOrDefault(50) + decided.GetValueOrDefault(200));
        Assert.Equal(seeds * 3, decided.GetValueOrDefault(300) + decided.GetValueOrDefault(1000) + decided.GetValueOrDefault(5000));
        Assert.True(totalFired <= total / 100, $"{totalFired} of {total} checks fired");
        foreach (var size in WindowSizes)
        {
            Assert.True(fired.GetValueOrDefault(size) <= seeds / 100 + 1, $"{size} rows: {fired.GetValueOrDefault(size)} of {seeds} checks fired");
        }
    }

    [Fact]
    public void ShiftedWindows_FireOnExactlyTheShiftedFeatures_FromTheMinimumWindow()
    {
        var baseline = Reference(seed: 1);
        var settings = MonitoringSettings.Default;
        string[] shifted = ["drift:colour", "drift:exponential", "drift:normal"];
        foreach (var size in WindowSizes)
        {
            for (var seed = 0; seed < 10; seed++)
            {
                var random = new Random((size * 104729) + seed);
                var checks = FeatureChecks.Run(1, Window(baseline, random, size, Shift.Applied), baseline, null, settings);
                var drift = checks.Signals.Where(s => s.Category == AlertCategory.Drift && s.Signal.StartsWith("drift:", StringComparison.Ordinal)).ToList();
                var firing = drift.Where(s => s.Breached == true).Select(s => s.Signal).Order().ToArray();
                if (seed == 0)
                {
                    output.WriteLine($"{size,5} rows: {string.Join(", ", drift.Select(s => $"{s.Signal} {s.Detail}"))}");
                }

                if (size < DriftEvaluatorOptions.DefaultMinimumSampleSize)
                {
                    // Too few rows: every feature says so, none fires, and the report shows the counts.
                    Assert.All(drift, s => Assert.Null(s.Breached));
                    Assert.All(checks.Features.Where(f => !f.IsOutput), f => Assert.Equal(DriftVerdict.InsufficientData, f.Drift!.Verdict));
                    Assert.All(drift, s => Assert.StartsWith("insufficient data: ", s.Detail, StringComparison.Ordinal));
                    Assert.Null(checks.DatasetDrift);
                    continue;
                }

                Assert.True(shifted.SequenceEqual(firing), $"{size} rows, seed {seed}: fired {string.Join(", ", firing)}");
                Assert.Equal(new DatasetDriftReport(8, 3, 3.0 / 8, 0.5, false), checks.DatasetDrift);
                Assert.All(firing, s => Assert.Contains("chiSquared p = ", drift.Single(d => d.Signal == s).Detail, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void DataQualityRates_AreTestedNotCompared()
    {
        // 20 rows with 2 missing is a 10 % rate over a 5 % limit, and no evidence of anything: the minimum count
        // (100) and the binomial test both hold it back; 1,000 rows with 10 % missing is evidence.
        var baseline = Reference(seed: 1);
        var thin = Window(baseline, new Random(3), 20, Shift.None);
        thin[0].Numeric!.AddMissing();
        thin[0].Numeric!.AddMissing();
        var thinChecks = FeatureChecks.Run(1, thin, baseline, null, MonitoringSettings.Default);
        Assert.Null(thinChecks.Signals.Single(s => s.Signal == "missing:normal").Breached);

        var borderline = Window(baseline, new Random(4), 200, Shift.None);
        for (var i = 0; i < 14; i++)
        {
            borderline[0].Numeric!.AddMissing();
        }

        // 14 of 214 = 6.5 %: above 5 %, but P(X >= 14 | 214, 0.05) = 0.19, so no alert.
        var borderlineSignal = FeatureChecks.Run(1, borderline, baseline, null, MonitoringSettings.Default).Signals.Single(s => s.Signal == "missing:normal");
        Assert.True(borderlineSignal.Value > 0.05);
        Assert.False(borderlineSignal.Breached);

        var thick = Window(baseline, new Random(5), 900, Shift.None);
        for (var i = 0; i < 100; i++)
        {
            thick[0].Numeric!.AddMissing();
        }

        var thickSignal = FeatureChecks.Run(1, thick, baseline, null, MonitoringSettings.Default).Signals.Single(s => s.Signal == "missing:normal");
        Assert.Equal(0.1, thickSignal.Value, 12);
        Assert.True(thickSignal.Breached);
        Assert.Contains("binomial test p = ", thickSignal.Detail, StringComparison.Ordinal);
    }

    private enum Shift
    {
        None,
        Applied,
    }

    private static ModelBaseline Reference(int seed)
    {
        var random = new Random(seed);
        var columns = Enumerable.Range(0, 6).Select(_ => new double[ReferenceRows]).ToArray();
        var colours = new string[ReferenceRows];
        var sizes = new string[ReferenceRows];
        for (var row = 0; row < ReferenceRows; row++)
        {
            var values = Numbers(random, Shift.None);
            for (var c = 0; c < 6; c++)
            {
                columns[c][row] = values[c];
            }

            colours[row] = Pick(random, Colours, ColourShares);
            sizes[row] = Pick(random, Sizes, SizeShares);
        }

        var features = new Dictionary<string, FeatureBaseline>();
        for (var c = 0; c < 6; c++)
        {
            features[Names[c]] = FeatureBaseline.FromSample(columns[c]);
        }

        features["colour"] = FeatureBaseline.FromCategories(colours);
        features["size"] = FeatureBaseline.FromCategories(sizes);
        return new ModelBaseline("m", 1, ReferenceRows, Names, features);
    }

    private static List<FeatureWindow> Window(ModelBaseline baseline, Random random, int rows, Shift shift)
    {
        var numeric = Names.Take(6).Select(n => NumericFeatureWindow.ForBaseline(baseline.Features[n], random, 256)).ToArray();
        var colour = CategoricalFeatureWindow.ForBaseline(baseline.Features["colour"]);
        var size = CategoricalFeatureWindow.ForBaseline(baseline.Features["size"]);

        // A category's share doubled: green from 0.25 to 0.5, the others scaled to fill the rest.
        double[] shiftedShares = [0.4 * 0.5 / 0.75, 0.5, 0.2 * 0.5 / 0.75, 0.15 * 0.5 / 0.75];
        for (var row = 0; row < rows; row++)
        {
            var values = Numbers(random, shift);
            for (var c = 0; c < 6; c++)
            {
                numeric[c].Add(values[c]);
            }

            colour.Add(Pick(random, Colours, shift == Shift.Applied ? shiftedShares : ColourShares));
            size.Add(Pick(random, Sizes, SizeShares));
        }

        var windows = numeric.Select((w, c) => new FeatureWindow { Name = Names[c], Numeric = w }).ToList();
        windows.Add(new FeatureWindow { Name = "colour", Categorical = colour });
        windows.Add(new FeatureWindow { Name = "size", Categorical = size });
        return windows;
    }

    /// <summary>One row of the six numeric features; shifted, the normal and the exponential move by half their standard deviation.</summary>
    private static double[] Numbers(Random random, Shift shift)
    {
        var half = shift == Shift.Applied ? 0.5 : 0.0;
        return
        [
            10 + (2 * Normal(random)) + (half * 2),
            Math.Exp(0.5 * Normal(random)),
            random.NextDouble() * 4,
            -Math.Log(1 - random.NextDouble()) + half,
            (random.NextDouble() < 0.3 ? -2 : 3) + (0.7 * Normal(random)),
            Math.Floor(-Math.Log(1 - random.NextDouble()) * 40),
        ];
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Pick(Random random, string[] values, double[] shares)
    {
        var u = random.NextDouble();
        for (var i = 0; i < values.Length - 1; i++)
        {
            u -= shares[i];
            if (u < 0)
            {
                return values[i];
            }
        }

        return values[^1];
    }
}
