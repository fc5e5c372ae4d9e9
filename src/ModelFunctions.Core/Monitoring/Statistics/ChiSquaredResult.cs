namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Outcome of Pearson's chi-squared goodness-of-fit test.
/// </summary>
/// <param name="Statistic">sum((observed - expected)^2 / expected); +infinity when a category expected never is observed.</param>
/// <param name="DegreesOfFreedom">Number of categories kept minus one.</param>
/// <param name="PValue">Upper tail of the chi-squared distribution at the statistic.</param>
public sealed record ChiSquaredResult(double Statistic, int DegreesOfFreedom, double PValue);
