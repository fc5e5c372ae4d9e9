namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Outcome of Pearson's chi-squared test of homogeneity of two samples.
/// </summary>
/// <param name="Statistic">sum((observed - expected)^2 / expected) over both samples and the cells kept.</param>
/// <param name="DegreesOfFreedom">Number of cells kept minus one.</param>
/// <param name="PValue">Upper tail of the chi-squared distribution at the statistic.</param>
public sealed record ChiSquaredResult(double Statistic, int DegreesOfFreedom, double PValue);
