using System.Text.Json;
using ModelFunctions.Core.Monitoring.Checks;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class MonitoringSettingsTests
{
    [Fact]
    public void Defaults_DecideByChiSquaredAtOnePercentFrom300Values()
    {
        var options = MonitoringSettings.Parse(null).Drift.ToEvaluatorOptions();

        Assert.Equal(new FeatureDriftPolicy(DriftMetric.ChiSquared, 0.01), options.Numeric);
        Assert.Equal(new FeatureDriftPolicy(DriftMetric.ChiSquared, 0.01), options.Categorical);
        Assert.Equal(300, options.MinimumSampleSize);
        Assert.True(options.BonferroniCorrection);
    }

    [Theory]
    [InlineData("kolmogorovSmirnov", 0.01)]
    [InlineData("normalizedWasserstein", 0.1)]
    [InlineData("populationStabilityIndex", 0.25)]
    public void AMetricWithoutAThreshold_TakesItsDefault(string metric, double threshold)
    {
        var settings = Parse("{\"drift\": {\"numeric\": {\"metric\": \"" + metric + "\"}}}");

        Assert.Equal(threshold, settings.Drift.ToEvaluatorOptions().Numeric.Threshold);
    }

    [Theory]
    [InlineData("""{"drift": {"numeric": {"metric": "chiSquared", "threshold": 0}}}""", "monitoring.drift")]
    [InlineData("""{"drift": {"categorical": {"metric": "kolmogorovSmirnov"}}}""", "monitoring.drift")]
    [InlineData("""{"drift": {"bins": 1}}""", "monitoring.drift.bins")]
    [InlineData("""{"drift": {"datasetDriftShare": -0.5}}""", "monitoring.drift.datasetDriftShare")]
    [InlineData("""{"dataQuality": {"maxMissingRate": 1.5}}""", "monitoring.dataQuality.maxMissingRate")]
    [InlineData("""{"dataQuality": {"falseAlarmRate": 0}}""", "monitoring.dataQuality.falseAlarmRate")]
    [InlineData("""{"dataQuality": {"minimumSampleSize": -1}}""", "monitoring.dataQuality.minimumSampleSize")]
    public void InvalidValues_AreRejectedNamingTheField(string json, string field)
    {
        var error = Assert.Throws<RegistryException>(() => Parse(json));

        Assert.Equal(RegistryErrorKind.Invalid, error.Kind);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    private static MonitoringSettings Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return MonitoringSettings.Parse(document.RootElement.Clone());
    }
}
