namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Outcome of a Pearson chi-squared test (goodness of fit, or homogeneity of two samples).
/// </summary>
/// <param name="Statistic">sum((observed - expected)^2 / expected) over the cells kept; +infinity when a cell expected never is observed (goodness of fit).</param>
/// <param name="DegreesOfFreedom">Number of cells kept minus one.</param>
/// <param name="PValue">Upper tail of the chi-squared distribution at the statistic.</param>
public sealed record ChiSquaredResult(double Statistic, int DegreesOfFreedom, double PValue);
