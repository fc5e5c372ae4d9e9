namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Outcome of a two-sided two-sample Kolmogorov-Smirnov test.
/// </summary>
/// <param name="Statistic">D: the largest absolute difference between the two empirical distribution functions.</param>
/// <param name="PValue">Probability of a statistic at least as large under the hypothesis of one common distribution.</param>
/// <param name="Method">The method actually used (never <see cref="KolmogorovSmirnovMethod.Auto"/>).</param>
public sealed record KolmogorovSmirnovResult(double Statistic, double PValue, KolmogorovSmirnovMethod Method);
