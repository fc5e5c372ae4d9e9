using System.Buffers;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Distances and tests between a reference distribution and a current one. Each method names the scipy or
/// Evidently computation it reproduces.
/// </summary>
public static class DriftMetrics
{
    /// <summary>Proportion that replaces an empty bin in <see cref="PopulationStabilityIndex"/> (Evidently's choice).</summary>
    public const double PsiEmptyBinProportion = 0.0001;

    /// <summary>Floor of the reference standard deviation in <see cref="NormalizedWassersteinDistance"/> (Evidently's rule).</summary>
    public const double MinimumNormalizingDeviation = 0.001;

    /// <summary>
    /// Population Stability Index, sum over bins of (cur - ref) * ln(cur / ref) on bin proportions.
    /// </summary>
    /// <remarks>
    /// Counts are turned into proportions of their own totals; a proportion of exactly zero (on either side) is then
    /// replaced by <see cref="PsiEmptyBinProportion"/> without renormalizing, as Evidently does, so a bin empty on
    /// both sides contributes nothing and a bin empty on one side contributes a large but finite term.
    /// </remarks>
    /// <param name="referenceCounts">Reference count (or weight) per bin.</param>
    /// <param name="currentCounts">Current count per bin, same bins.</param>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts)
    {
        var (referenceTotal, currentTotal) = Totals(referenceCounts, currentCounts);
        var psi = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            var reference = Smoothed(referenceCounts[i] / referenceTotal);
            var current = Smoothed(currentCounts[i] / currentTotal);
            psi += (current - reference) * Math.Log(current / reference);
        }

        return psi;
    }

    /// <summary>
    /// Jensen-Shannon distance in base 2 between two count vectors, each normalized to sum 1; the square root of
    /// the divergence, in [0, 1]. Matches <c>scipy.spatial.distance.jensenshannon(p, q, base=2)</c>.
    /// </summary>
    /// <param name="p">First count vector.</param>
    /// <param name="q">Second count vector, same length.</param>
    public static double JensenShannonDistance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        var (pTotal, qTotal) = Totals(p, q);
        var divergence = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / pTotal;
            var qi = q[i] / qTotal;
            var mi = 0.5 * (pi + qi);
            divergence += RelativeEntropyTerm(pi, mi) + RelativeEntropyTerm(qi, mi);
        }

        // Rounding can leave a tiny negative sum for identical inputs.
        return Math.Sqrt(Math.Max(divergence / (2 * Math.Log(2)), 0.0));
    }

    /// <summary>Chebyshev distance: the largest absolute difference between two vectors of the same length (<c>scipy.spatial.distance.chebyshev</c>).</summary>
    /// <param name="p">First proportion vector.</param>
    /// <param name="q">Second proportion vector.</param>
    public static double ChebyshevDistance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("Vectors must have the same length.", nameof(q));
        }

        var largest = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(p[i] - q[i]));
        }

        return largest;
    }

    /// <summary>
    /// First Wasserstein (earth mover's) distance between two samples of equal weights, the area between their
    /// empirical distribution functions; matches <c>scipy.stats.wasserstein_distance(u, v)</c>.
    /// </summary>
    /// <param name="u">First sample, any order, finite values.</param>
    /// <param name="v">Second sample, any order, finite values.</param>
    public static double WassersteinDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        var uBuffer = ArrayPool<double>.Shared.Rent(u.Length);
        var vBuffer = ArrayPool<double>.Shared.Rent(v.Length);
        try
        {
            var uSorted = uBuffer.AsSpan(0, u.Length);
            var vSorted = vBuffer.AsSpan(0, v.Length);
            u.CopyTo(uSorted);
            v.CopyTo(vSorted);
            uSorted.Sort();
            vSorted.Sort();
            return WassersteinDistanceSorted(uSorted, vSorted);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(uBuffer);
            ArrayPool<double>.Shared.Return(vBuffer);
        }
    }

    /// <summary>Same as <see cref="WassersteinDistance"/> for samples already sorted in ascending order.</summary>
    /// <param name="uSorted">First sample, ascending.</param>
    /// <param name="vSorted">Second sample, ascending.</param>
    public static double WassersteinDistanceSorted(ReadOnlySpan<double> uSorted, ReadOnlySpan<double> vSorted)
    {
        if (uSorted.IsEmpty || vSorted.IsEmpty)
        {
            throw new ArgumentException("Both samples must hold at least one value.");
        }

        double n1 = uSorted.Length;
        double n2 = vSorted.Length;
        var i = 0;
        var j = 0;
        var previous = Math.Min(uSorted[0], vSorted[0]);
        var area = 0.0;
        while (i < uSorted.Length || j < vSorted.Length)
        {
            var next = i == uSorted.Length ? vSorted[j] : j == vSorted.Length ? uSorted[i] : Math.Min(uSorted[i], vSorted[j]);
            area += Math.Abs((i / n1) - (j / n2)) * (next - previous);
            while (i < uSorted.Length && uSorted[i] <= next)
            {
                i++;
            }

            while (j < vSorted.Length && vSorted[j] <= next)
            {
                j++;
            }

            previous = next;
        }

        return area;
    }

    /// <summary>
    /// Wasserstein distance divided by max(reference standard deviation, <see cref="MinimumNormalizingDeviation"/>),
    /// Evidently's scale-free form; the deviation is the population one (ddof = 0, numpy's default, as Evidently uses).
    /// </summary>
    /// <param name="distance">Wasserstein distance in the feature's units.</param>
    /// <param name="referenceStandardDeviation">Population standard deviation of the reference data.</param>
    public static double NormalizedWassersteinDistance(double distance, double referenceStandardDeviation) =>
        distance / Math.Max(referenceStandardDeviation, MinimumNormalizingDeviation);

    /// <summary>
    /// Pearson's chi-squared test of homogeneity: were the current and the reference counts drawn from one
    /// distribution over these cells? Matches <c>scipy.stats.chi2_contingency([current, reference], correction=False)</c>
    /// when no cell is merged.
    /// </summary>
    /// <remarks>
    /// Unlike a goodness-of-fit test against the reference proportions (the former default), it counts the reference's own sampling noise,
    /// so its false-alarm rate holds however large the window is against the reference. Cells empty in both are
    /// dropped. The chi-squared approximation needs enough counts per cell: while a cell's smaller expected count
    /// (min(n_current, n_reference) * pooled / total) is under <paramref name="minimumExpected"/>, the cell with the
    /// fewest pooled counts is merged into its smaller neighbour (cells keep their order, so numeric bins merge with
    /// adjacent bins, and categories listed most frequent first merge with the next rarest). With fewer than two
    /// cells left the statistic is 0 and the p-value 1.
    /// </remarks>
    /// <param name="current">Current count per cell.</param>
    /// <param name="reference">Reference count per cell, same cells.</param>
    /// <param name="minimumExpected">Smallest expected count a cell may keep; 5 is the usual rule (Cochran).</param>
    public static ChiSquaredResult ChiSquaredHomogeneity(ReadOnlySpan<double> current, ReadOnlySpan<double> reference, double minimumExpected = 5)
    {
        var (currentTotal, referenceTotal) = Totals(current, reference);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumExpected);
        var cells = new List<(double Current, double Reference)>(current.Length);
        for (var i = 0; i < current.Length; i++)
        {
            if (current[i] + reference[i] > 0)
            {
                cells.Add((current[i], reference[i]));
            }
        }

        var total = currentTotal + referenceTotal;
        var smallerRow = Math.Min(currentTotal, referenceTotal);
        while (cells.Count > 1)
        {
            var smallest = 0;
            for (var i = 1; i < cells.Count; i++)
            {
                if (Pooled(cells[i]) < Pooled(cells[smallest]))
                {
                    smallest = i;
                }
            }

            if (smallerRow * Pooled(cells[smallest]) / total >= minimumExpected)
            {
                break;
            }

            var neighbour = smallest == 0 ? 1
                : smallest == cells.Count - 1 ? smallest - 1
                : Pooled(cells[smallest - 1]) <= Pooled(cells[smallest + 1]) ? smallest - 1 : smallest + 1;
            cells[neighbour] = (cells[neighbour].Current + cells[smallest].Current, cells[neighbour].Reference + cells[smallest].Reference);
            cells.RemoveAt(smallest);
        }

        var degrees = cells.Count - 1;
        if (degrees < 1)
        {
            return new ChiSquaredResult(0.0, 0, 1.0);
        }

        var statistic = 0.0;
        foreach (var cell in cells)
        {
            var pooled = Pooled(cell);
            var expectedCurrent = currentTotal * pooled / total;
            var expectedReference = referenceTotal * pooled / total;
            statistic += Square(cell.Current - expectedCurrent) / expectedCurrent + Square(cell.Reference - expectedReference) / expectedReference;
        }

        return new ChiSquaredResult(statistic, degrees, ChiSquaredSurvival(statistic, degrees));

        static double Pooled((double Current, double Reference) cell) => cell.Current + cell.Reference;
        static double Square(double x) => x * x;
    }

    /// <summary>
    /// Upper tail P(X &gt;= successes) of the binomial distribution with <paramref name="trials"/> trials and success
    /// probability <paramref name="probability"/>: the p-value of a one-sided exact test that a rate is above
    /// <paramref name="probability"/>. Matches <c>scipy.stats.binom.sf(successes - 1, trials, probability)</c>.
    /// </summary>
    /// <remarks>
    /// Summed from the probability mass at the tail's start outward (terms shrink geometrically away from the mode),
    /// on whichever side of the mode is shorter, so it costs a few dozen terms at any number of trials.
    /// </remarks>
    /// <param name="successes">Observed successes, 0 to <paramref name="trials"/>.</param>
    /// <param name="trials">Number of trials, at least 0.</param>
    /// <param name="probability">Success probability under the null, 0 to 1.</param>
    public static double BinomialUpperTail(long successes, long trials, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), "A probability is between 0 and 1.");
        }

        if (successes == 0)
        {
            return 1.0;
        }

        if (probability == 0)
        {
            return 0.0;
        }

        if (probability == 1)
        {
            return 1.0;
        }

        var odds = probability / (1 - probability);
        if (successes > trials * probability)
        {
            // Above the mean: P(X >= s) summed upward from s.
            return Math.Min(1.0, TailSum(successes, trials, probability, odds, upward: true));
        }

        // At or below the mean: 1 - P(X <= s - 1), the lower tail summed downward from s - 1.
        return Math.Max(0.0, 1.0 - TailSum(successes - 1, trials, probability, odds, upward: false));
    }

    private static double TailSum(long start, long trials, double probability, double odds, bool upward)
    {
        var term = Math.Exp(SpecialFunctions.LogBinomial(trials, start) + (start * Math.Log(probability)) + ((trials - start) * Math.Log(1 - probability)));
        var sum = 0.0;
        for (var k = start; upward ? k <= trials : k >= 0; k += upward ? 1 : -1)
        {
            sum += term;
            if (term <= sum * 1e-17)
            {
                break;
            }

            // pmf(k + 1) / pmf(k) = (n - k) / (k + 1) * p / (1 - p), and its inverse going down.
            term *= upward ? (trials - k) / (double)(k + 1) * odds : k / (double)(trials - k + 1) / odds;
        }

        return sum;
    }

    /// <summary>Upper tail P(X &gt;= x) of the chi-squared distribution with k degrees of freedom: Q(k / 2, x / 2).</summary>
    /// <param name="x">Statistic value.</param>
    /// <param name="degreesOfFreedom">Degrees of freedom, at least 1.</param>
    public static double ChiSquaredSurvival(double x, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return SpecialFunctions.RegularizedGammaQ(degreesOfFreedom / 2.0, x / 2.0);
    }

    private static double Smoothed(double proportion) => proportion == 0 ? PsiEmptyBinProportion : proportion;

    private static double RelativeEntropyTerm(double x, double y) => x > 0 ? x * Math.Log(x / y) : 0.0;

    private static (double First, double Second) Totals(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException("Vectors must have the same length.", nameof(second));
        }

        var firstTotal = 0.0;
        var secondTotal = 0.0;
        for (var i = 0; i < first.Length; i++)
        {
            if (first[i] < 0 || second[i] < 0 || double.IsNaN(first[i]) || double.IsNaN(second[i]))
            {
                throw new ArgumentException("Counts must be non-negative numbers.");
            }

            firstTotal += first[i];
            secondTotal += second[i];
        }

        if (firstTotal <= 0 || secondTotal <= 0)
        {
            throw new ArgumentException("Each vector must have a positive total.");
        }

        return (firstTotal, secondTotal);
    }
}
