namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Gamma-family functions used by the p-values: log-gamma, the regularized incomplete gamma, log-binomials.
/// </summary>
internal static class SpecialFunctions
{
    private const double Epsilon = 1e-16;
    private const double Tiny = 1e-300;
    private const int MaxIterations = 10_000;

    // Lanczos approximation, g = 7, nine coefficients (about 1e-15 relative for x >= 0.5).
    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>Natural log of the gamma function for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0.5)
        {
            // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        var z = x - 1;
        var sum = LanczosCoefficients[0];
        for (var i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (z + i);
        }

        var t = z + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + ((z + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>log(n choose k) for 0 &lt;= k &lt;= n.</summary>
    public static double LogBinomial(long n, long k) =>
        LogGamma(n + 1.0) - LogGamma(k + 1.0) - LogGamma(n - k + 1.0);

    /// <summary>
    /// Regularized upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a): a power series for P when x &lt; a + 1,
    /// a continued fraction (modified Lentz) for Q otherwise.
    /// </summary>
    public static double RegularizedGammaQ(double a, double x)
    {
        if (a <= 0 || double.IsNaN(a) || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= 0)
        {
            return 1.0;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0.0;
        }

        return x < a + 1 ? 1.0 - LowerSeries(a, x) : UpperContinuedFraction(a, x);
    }

    /// <summary>Regularized lower incomplete gamma P(a, x) = 1 - Q(a, x).</summary>
    public static double RegularizedGammaP(double a, double x)
    {
        if (a <= 0 || double.IsNaN(a) || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= 0)
        {
            return 0.0;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 1.0;
        }

        return x < a + 1 ? LowerSeries(a, x) : 1.0 - UpperContinuedFraction(a, x);
    }

    private static double LogPrefactor(double a, double x) => (a * Math.Log(x)) - x - LogGamma(a);

    private static double LowerSeries(double a, double x)
    {
        // P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)).
        var term = 1.0 / a;
        var sum = term;
        for (var n = 1; n < MaxIterations; n++)
        {
            term *= x / (a + n);
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
            {
                break;
            }
        }

        return sum * Math.Exp(LogPrefactor(a, x));
    }

    private static double UpperContinuedFraction(double a, double x)
    {
        // Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 - a - ...))).
        var b = x + 1 - a;
        var c = 1.0 / Tiny;
        var d = 1.0 / b;
        var h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            if (Math.Abs(d) < Tiny)
            {
                d = Tiny;
            }

            c = b + (an / c);
            if (Math.Abs(c) < Tiny)
            {
                c = Tiny;
            }

            d = 1.0 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return Math.Exp(LogPrefactor(a, x)) * h;
    }
}
