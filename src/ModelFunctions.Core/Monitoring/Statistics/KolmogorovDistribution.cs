namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// The one-sample two-sided Kolmogorov distribution of D_n = sup |F_n - F| (scipy's <c>kstwo</c>) and its
/// large-sample limit (scipy's <c>kstwobign</c>).
/// </summary>
/// <remarks>
/// <para><see cref="Survival"/> follows the region choices of Simard and L'Ecuyer (2011) that scipy 1.10 uses:
/// closed forms (Ruben-Gambino) near 1/(2n) and 1 - 1/n, twice the exact one-sided Smirnov tail (Birnbaum-Tingey
/// sum) for large n x^2 or x &gt;= 0.5, and the Durbin matrix (Marsaglia-Tsang-Wang) in the body.</para>
/// <para>For n &gt; 140, n x^2 &lt; 2.2 and (n &gt; 100000 or n x^1.5 &gt; 1.4) it uses the Pelz-Good (1976)
/// expansion to order n^(-3/2), as scipy does. The one difference from scipy: where scipy evaluates the body with
/// Pomeranz's recursion (n &lt;= 140, 0.754693 &lt; n x^2 &lt;= 4) this uses the Durbin matrix; both are exact, so
/// they agree to rounding.</para>
/// </remarks>
public static class KolmogorovDistribution
{
    private const int ScaleExponent = 512;

    /// <summary>P(D_n &gt;= x) for a sample of size n drawn from a continuous distribution.</summary>
    /// <param name="n">Sample size, at least 1.</param>
    /// <param name="x">Statistic value.</param>
    public static double Survival(long n, double x)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5)
            {
                return 1.0;
            }

            // P(D_n <= x) = n! / n^n (2 t - 1)^n for 1/(2n) <= x <= 1/n.
            var cdf = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            return Clip(1.0 - cdf);
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * SmirnovSurvival(n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            return nxSquared <= 4 ? Clip(1.0 - DurbinCdf(n, x)) : Clip(2 * SmirnovSurvival(n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * SmirnovSurvival(n, x));
        }

        if (n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4)
        {
            return Clip(1.0 - DurbinCdf(n, x));
        }

        return Clip(1.0 - PelzGoodCdf(n, x));
    }

    /// <summary>P(K &gt;= z) for the limiting Kolmogorov distribution K = lim sqrt(n) D_n.</summary>
    /// <param name="z">Scaled statistic sqrt(n) D.</param>
    public static double LimitingSurvival(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        if (z <= 0)
        {
            return 1.0;
        }

        if (z < 1.0)
        {
            // Jacobi-theta form, fast for small z: P(K <= z) = sqrt(2 pi) / z sum_k exp(-(2k - 1)^2 pi^2 / (8 z^2)).
            var sum = 0.0;
            for (var k = 1; k < 100; k++)
            {
                var odd = (2 * k) - 1;
                var term = Math.Exp(-odd * odd * Math.PI * Math.PI / (8 * z * z));
                sum += term;
                if (term < 1e-17 * sum)
                {
                    break;
                }
            }

            return Clip(1.0 - (Math.Sqrt(2 * Math.PI) / z * sum));
        }

        // P(K >= z) = 2 sum_k (-1)^(k - 1) exp(-2 k^2 z^2).
        var tail = 0.0;
        for (var k = 1; k < 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * z * z);
            tail += (k % 2 == 1) ? term : -term;
            if (term < 1e-17)
            {
                break;
            }
        }

        return Clip(2 * tail);
    }

    /// <summary>
    /// One-sided P(D+_n &gt;= d) (scipy.special.smirnov) by the Birnbaum-Tingey sum
    /// d * sum_{j=0}^{floor(n(1-d))} C(n, j) (1 - d - j/n)^(n-j) (d + j/n)^(j-1), each term formed in log space.
    /// </summary>
    internal static double SmirnovSurvival(long n, double d)
    {
        if (d <= 0)
        {
            return 1.0;
        }

        if (d >= 1)
        {
            return 0.0;
        }

        var last = (long)Math.Floor(n * (1 - d));
        var sum = 0.0;
        var logBinomial = 0.0;
        for (long j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                logBinomial += Math.Log((double)(n - j + 1) / j);
            }

            var below = 1 - d - ((double)j / n);
            if (below <= 0)
            {
                continue;
            }

            var logTerm = logBinomial + ((n - j) * Math.Log(below)) + ((j - 1) * Math.Log(d + ((double)j / n)));
            sum += Math.Exp(logTerm);
        }

        return Clip(d * sum);
    }

    /// <summary>
    /// P(D_n &lt; d) by the Durbin matrix in the Marsaglia-Tsang-Wang (2003) form: with n d = k - h, 0 &lt;= h &lt; 1,
    /// the probability is n!/n^n times the (k, k) entry of H^n for a (2k - 1)-square matrix H built from h.
    /// </summary>
    internal static double DurbinCdf(long n, double d)
    {
        var k = (int)(n * d) + 1;
        var size = (2 * k) - 1;
        var h = k - (n * d);
        var matrix = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                matrix[(i * size) + j] = i - j + 1 >= 0 ? 1.0 : 0.0;
            }
        }

        for (var i = 0; i < size; i++)
        {
            matrix[i * size] -= Math.Pow(h, i + 1);
            matrix[((size - 1) * size) + i] -= Math.Pow(h, size - i);
        }

        if ((2 * h) - 1 > 0)
        {
            matrix[(size - 1) * size] += Math.Pow((2 * h) - 1, size);
        }

        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                var order = i - j + 1;
                if (order > 0)
                {
                    matrix[(i * size) + j] /= Math.Exp(SpecialFunctions.LogGamma(order + 1.0));
                }
            }
        }

        var (power, exponent) = Power(matrix, size, n);
        var entry = power[((k - 1) * size) + (k - 1)];
        if (entry <= 0)
        {
            return 0.0;
        }

        return Clip(Math.Exp(Math.Log(entry) + (exponent * Math.Log(2.0)) + LogFactorialOverPower(n)));
    }

    /// <summary>
    /// Pelz-Good approximation of P(D_n &lt;= x): K0(z) + K1(z) / sqrt(n) + K2(z) / n + K3(z) / n^(3/2), z = x sqrt(n),
    /// each K written as theta-function sums over odd m (factor exp(-pi^2 m^2 / (8 z^2))) and, for K2 and K3, over
    /// all k (factor exp(-pi^2 k^2 / (2 z^2))), which converge fast for the small z where it is used.
    /// </summary>
    internal static double PelzGoodCdf(long n, double x)
    {
        var z = Math.Sqrt(n) * x;
        var z2 = z * z;
        var z4 = z2 * z2;
        var z6 = z4 * z2;
        var pi2 = Math.PI * Math.PI;
        var pi4 = pi2 * pi2;
        var pi6 = pi4 * pi2;
        if (pi2 / (8 * z2) > 700)
        {
            return 0.0;
        }

        double k0 = 0, k1 = 0, k2 = 0, k3 = 0;
        for (var odd = 1; odd < 400; odd += 2)
        {
            var m2 = (double)odd * odd;
            var weight = Math.Exp(-pi2 * m2 / (8 * z2));
            k0 += weight;
            k1 += ((pi2 * m2 / 4) - z2) * weight;
            k2 += ((6 * z6) + (2 * z4) + (pi2 * ((2 * z4) - (5 * z2)) * m2 / 4) + (pi4 * (1 - (2 * z2)) * m2 * m2 / 16)) * weight;
            k3 += ((pi6 * (5 - (30 * z2)) * m2 * m2 * m2 / 64)
                + (pi4 * ((212 * z4) - (60 * z2)) * m2 * m2 / 16)
                + (pi2 * ((135 * z4) - (96 * z6)) * m2 / 4)
                - (30 * z6) - (90 * z6 * z2)) * weight;
            if (weight < 1e-300 || (odd > 1 && weight < 1e-20 * k0))
            {
                break;
            }
        }

        double k2Extra = 0, k3Extra = 0;
        for (var k = 1; k < 400; k++)
        {
            var k2Squared = (double)k * k;
            var weight = Math.Exp(-pi2 * k2Squared / (2 * z2));
            k2Extra += k2Squared * weight;
            k3Extra += ((3 * z2) - (pi2 * k2Squared)) * k2Squared * weight;
            if (weight < 1e-300 || weight < 1e-20 * Math.Max(k2Extra, double.Epsilon))
            {
                break;
            }
        }

        var root2Pi = Math.Sqrt(2 * Math.PI);
        var rootN = Math.Sqrt(n);
        var term0 = root2Pi / z * k0;
        var term1 = root2Pi / (6 * z4) * k1;
        var term2 = (root2Pi / (72 * z6 * z) * k2) - (pi2 * root2Pi / (36 * z2 * z) * k2Extra);
        var term3 = (root2Pi / (6480 * z6 * z4) * k3) + (pi2 * root2Pi / (216 * z6) * k3Extra);
        return term0 + (term1 / rootN) + (term2 / n) + (term3 / (n * rootN));
    }

    /// <summary>ln(n! / n^n): exact sum for small n, Stirling's series otherwise.</summary>
    internal static double LogFactorialOverPower(long n)
    {
        if (n <= 20)
        {
            var sum = 0.0;
            for (long i = 1; i <= n; i++)
            {
                sum += Math.Log((double)i / n);
            }

            return sum;
        }

        var r = 1.0 / n;
        var r2 = r * r;
        return (0.5 * Math.Log(2 * Math.PI * n)) - n + (r * ((1.0 / 12) - (r2 * ((1.0 / 360) - (r2 * ((1.0 / 1260) - (r2 / 1680)))))));
    }

    /// <summary>matrix^n as (mantissa matrix, base-2 exponent), rescaled whenever entries grow large.</summary>
    private static (double[] Matrix, long Exponent) Power(double[] matrix, int size, long n)
    {
        var result = Identity(size);
        long resultExponent = 0;
        var square = (double[])matrix.Clone();
        long squareExponent = 0;
        var scratch = new double[size * size];
        var remaining = n;
        while (true)
        {
            if ((remaining & 1) == 1)
            {
                Multiply(result, square, scratch, size);
                (result, scratch) = (scratch, result);
                resultExponent += squareExponent + Rescale(result);
            }

            remaining >>= 1;
            if (remaining == 0)
            {
                return (result, resultExponent);
            }

            Multiply(square, square, scratch, size);
            (square, scratch) = (scratch, square);
            squareExponent = (2 * squareExponent) + Rescale(square);
        }
    }

    private static long Rescale(double[] matrix)
    {
        var largest = 0.0;
        foreach (var value in matrix)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }

        if (largest < Math.ScaleB(1.0, ScaleExponent))
        {
            return 0;
        }

        for (var i = 0; i < matrix.Length; i++)
        {
            matrix[i] = Math.ScaleB(matrix[i], -ScaleExponent);
        }

        return ScaleExponent;
    }

    private static double[] Identity(int size)
    {
        var identity = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            identity[(i * size) + i] = 1.0;
        }

        return identity;
    }

    private static void Multiply(double[] left, double[] right, double[] target, int size)
    {
        Array.Clear(target);
        for (var i = 0; i < size; i++)
        {
            for (var k = 0; k < size; k++)
            {
                var factor = left[(i * size) + k];
                if (factor == 0)
                {
                    continue;
                }

                for (var j = 0; j < size; j++)
                {
                    target[(i * size) + j] += factor * right[(k * size) + j];
                }
            }
        }
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}
