namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>Dataset-level drift of a version: the share of its decided input features that drifted.</summary>
/// <param name="DecidedFeatures">Input features with enough data for a verdict.</param>
/// <param name="DriftedFeatures">Of those, the ones whose verdict is drift.</param>
/// <param name="Share">DriftedFeatures / DecidedFeatures.</param>
/// <param name="Threshold">Share from which the dataset counts as drifted (<c>drift.datasetDriftShare</c>).</param>
/// <param name="Drifted">Share at or above the threshold.</param>
public sealed record DatasetDriftReport(int DecidedFeatures, int DriftedFeatures, double Share, double Threshold, bool Drifted);
