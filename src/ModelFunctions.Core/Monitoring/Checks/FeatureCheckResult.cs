using ModelFunctions.Core.Monitoring.Alerts;
using ModelFunctions.Core.Monitoring.Reports;

namespace ModelFunctions.Core.Monitoring.Checks;

/// <summary>What <see cref="FeatureChecks.Run"/> found for one version.</summary>
/// <param name="Features">Per input feature, then per output.</param>
/// <param name="Signals">Drift, prediction drift, data-quality and dataset drift signals.</param>
/// <param name="DatasetDrift">The dataset-level share, or null while no input feature could be decided.</param>
/// <param name="TestDecisions">Test decisions that shared the false-alarm budget.</param>
public sealed record FeatureCheckResult(
    IReadOnlyList<FeatureReport> Features,
    IReadOnlyList<SignalEvaluation> Signals,
    DatasetDriftReport? DatasetDrift,
    int TestDecisions);
