namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// How the two-sample Kolmogorov-Smirnov p-value is computed; mirrors the <c>method</c> argument of
/// <c>scipy.stats.ks_2samp</c> (two-sided alternative).
/// </summary>
public enum KolmogorovSmirnovMethod
{
    /// <summary>
    /// scipy's <c>method='auto'</c>: exact when the larger sample has at most
    /// <see cref="KolmogorovSmirnov.MaxAutoExactSize"/> values, asymptotic otherwise.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// scipy's <c>method='exact'</c>: the exact null distribution of the statistic (lattice-path count),
    /// falling back to <see cref="Asymptotic"/> when lcm(n, m) does not fit a 32-bit integer, as scipy does.
    /// </summary>
    Exact = 1,

    /// <summary>
    /// scipy's <c>method='asymp'</c>: the one-sample two-sided Kolmogorov distribution of size
    /// round(n m / (n + m)) evaluated at the statistic.
    /// </summary>
    Asymptotic = 2,
}
