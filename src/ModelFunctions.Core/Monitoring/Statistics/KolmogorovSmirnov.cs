using System.Buffers;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Two-sided two-sample Kolmogorov-Smirnov test, matching <c>scipy.stats.ks_2samp(a, b)</c> (scipy 1.10).
/// </summary>
/// <remarks>
/// <para>The statistic is computed exactly from integer counts: D = h / lcm(n, m) with h an integer, which is also
/// the value scipy reports in exact mode. Ties are handled as scipy does (both empirical distribution functions are
/// compared after every value equal to the current one has been consumed).</para>
/// <para>Exact p-value (scipy's <c>method='exact'</c>): for n = m, the alternating series over reflected lattice
/// paths (Gnedenko-Korolyuk); otherwise the proportion of lattice paths from (0, 0) to (m, n) that leave the band
/// |i/m - j/n| &lt; D, propagated column by column as a probability (Hodges' inside method in the form of
/// Viehmann, 2021, which computes the p-value itself rather than 1 - p and so keeps tiny p-values accurate).</para>
/// <para>Asymptotic p-value (scipy's <c>method='asymp'</c>): the survival function of the one-sample two-sided
/// Kolmogorov distribution of size round(n m / (n + m)), see <see cref="KolmogorovDistribution"/>.</para>
/// </remarks>
public static class KolmogorovSmirnov
{
    /// <summary>Largest sample size for which <see cref="KolmogorovSmirnovMethod.Auto"/> chooses the exact method (scipy's MAX_AUTO_N).</summary>
    public const int MaxAutoExactSize = 10_000;

    /// <summary>Tests whether two samples (in any order) come from one continuous distribution.</summary>
    /// <param name="first">First sample; finite or infinite values, no NaN.</param>
    /// <param name="second">Second sample; finite or infinite values, no NaN.</param>
    /// <param name="method">How to compute the p-value.</param>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN.</exception>
    public static KolmogorovSmirnovResult TwoSample(
        ReadOnlySpan<double> first,
        ReadOnlySpan<double> second,
        KolmogorovSmirnovMethod method = KolmogorovSmirnovMethod.Auto)
    {
        var firstBuffer = ArrayPool<double>.Shared.Rent(first.Length);
        var secondBuffer = ArrayPool<double>.Shared.Rent(second.Length);
        try
        {
            var sortedFirst = firstBuffer.AsSpan(0, first.Length);
            var sortedSecond = secondBuffer.AsSpan(0, second.Length);
            first.CopyTo(sortedFirst);
            second.CopyTo(sortedSecond);
            sortedFirst.Sort();
            sortedSecond.Sort();
            return TwoSampleSorted(sortedFirst, sortedSecond, method);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(firstBuffer);
            ArrayPool<double>.Shared.Return(secondBuffer);
        }
    }

    /// <summary>Same as <see cref="TwoSample"/> for samples already sorted in ascending order (not checked beyond NaN).</summary>
    /// <param name="sortedFirst">First sample, ascending.</param>
    /// <param name="sortedSecond">Second sample, ascending.</param>
    /// <param name="method">How to compute the p-value.</param>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN.</exception>
    public static KolmogorovSmirnovResult TwoSampleSorted(
        ReadOnlySpan<double> sortedFirst,
        ReadOnlySpan<double> sortedSecond,
        KolmogorovSmirnovMethod method = KolmogorovSmirnovMethod.Auto)
    {
        if (sortedFirst.IsEmpty || sortedSecond.IsEmpty)
        {
            throw new ArgumentException("Both samples must hold at least one value.");
        }

        // Sorted NaN comes first in .NET's ordering.
        if (double.IsNaN(sortedFirst[0]) || double.IsNaN(sortedSecond[0]))
        {
            throw new ArgumentException("Samples must not contain NaN.");
        }

        long n1 = sortedFirst.Length;
        long n2 = sortedSecond.Length;
        var h = LargestScaledDifference(sortedFirst, sortedSecond);
        var g = GreatestCommonDivisor(n1, n2);
        var lcm = n1 / g * n2;
        h /= g;
        var statistic = (double)h / lcm;

        var chosen = method switch
        {
            KolmogorovSmirnovMethod.Auto => Math.Max(n1, n2) <= MaxAutoExactSize
                ? KolmogorovSmirnovMethod.Exact
                : KolmogorovSmirnovMethod.Asymptotic,
            KolmogorovSmirnovMethod.Exact => n1 / g >= (double)int.MaxValue / (n2 / g)
                ? KolmogorovSmirnovMethod.Asymptotic
                : KolmogorovSmirnovMethod.Exact,
            KolmogorovSmirnovMethod.Asymptotic => KolmogorovSmirnovMethod.Asymptotic,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method."),
        };

        double pValue;
        if (chosen == KolmogorovSmirnovMethod.Exact)
        {
            pValue = h == 0 ? 1.0 : ExactPValue(n1, n2, g, h);
        }
        else
        {
            var larger = (double)Math.Max(n1, n2);
            var smaller = (double)Math.Min(n1, n2);
            var effective = Math.Round(larger * smaller / (larger + smaller), MidpointRounding.ToEven);
            pValue = KolmogorovDistribution.Survival((long)effective, statistic);
        }

        return new KolmogorovSmirnovResult(statistic, Math.Clamp(pValue, 0.0, 1.0), chosen);
    }

    /// <summary>max over all values v of |n2 * count1(&lt;= v) - n1 * count2(&lt;= v)|.</summary>
    private static long LargestScaledDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        long n1 = a.Length;
        long n2 = b.Length;
        var i = 0;
        var j = 0;
        long largest = 0;
        while (i < a.Length || j < b.Length)
        {
            var value = i == a.Length ? b[j] : j == b.Length ? a[i] : Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= value)
            {
                i++;
            }

            while (j < b.Length && b[j] <= value)
            {
                j++;
            }

            largest = Math.Max(largest, Math.Abs((i * n2) - (j * n1)));
        }

        return largest;
    }

    private static double ExactPValue(long n1, long n2, long g, long h)
    {
        return n1 == n2 ? EqualSizesPValue(n1, h) : BandExitProportion(n1, n2, g, h);
    }

    /// <summary>
    /// P(D &gt;= h / n) for two samples of size n: 2 * sum_k (-1)^(k-1) C(2n, n - k h) / C(2n, n), evaluated from the
    /// innermost term outwards as nested ratios so that no large binomial is ever formed.
    /// </summary>
    private static double EqualSizesPValue(long n, long h)
    {
        var nested = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            // ratio = C(2n, n - (k + 1) h) / C(2n, n - k h)
            var ratio = 1.0;
            var offset = k * h;
            for (long step = 0; step < h; step++)
            {
                ratio *= (double)(n - offset - step) / (n + offset + step + 1);
            }

            nested = ratio * (1.0 - nested);
        }

        return 2.0 * nested;
    }

    /// <summary>
    /// Proportion of monotone lattice paths from (0, 0) to (m, n) that touch or cross |ng i - mg j| &gt;= h,
    /// where mg = m / g and ng = n / g. Holds, for the current column i, the proportion of paths to (i, j)
    /// that have already left the band; a point outside the band has proportion 1.
    /// </summary>
    private static double BandExitProportion(long first, long second, long g, long h)
    {
        var m = Math.Max(first, second);
        var n = Math.Min(first, second);
        var mg = m / g;
        var ng = n / g;
        var exited = ArrayPool<double>.Shared.Rent((int)n + 1);
        try
        {
            var column = exited.AsSpan(0, (int)n + 1);

            // Column i = 0: (0, j) lies inside while mg * j < h.
            var previousLow = 0L;
            for (var j = 0; j <= n; j++)
            {
                column[j] = mg * j < h ? 0.0 : 1.0;
            }

            for (long i = 1; i <= m; i++)
            {
                var low = Math.Max(FloorDiv((ng * i) - h, mg) + 1, 0);
                var high = Math.Min(CeilDiv((ng * i) + h, mg) - 1, n);
                if (high < low)
                {
                    return 1.0;
                }

                for (var j = previousLow; j < low; j++)
                {
                    column[(int)j] = 1.0;
                }

                for (var j = low; j <= high; j++)
                {
                    // Paths into (i, j) arrive from (i - 1, j) in a share i / (i + j), from (i, j - 1) in j / (i + j).
                    var fromLeft = column[(int)j];
                    var fromBelow = j == 0 ? 0.0 : column[(int)j - 1];
                    column[(int)j] = ((i * fromLeft) + (j * fromBelow)) / (i + j);
                }

                previousLow = low;
            }

            return column[(int)n];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(exited);
        }
    }

    private static long FloorDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && (a < 0) ? quotient - 1 : quotient;
    }

    private static long CeilDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && (a > 0) ? quotient + 1 : quotient;
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
