namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Bin layout shared by baselines and windows: edges e0 &lt; e1 &lt; ... &lt; eB give B regular bins
/// [e(i), e(i+1)), the last one closed on the right, plus an underflow bin (x &lt; e0) at index 0 and an overflow
/// bin (x &gt; eB) at index B + 1. A constant feature has edges [c, c]: one bin holding exactly c.
/// </summary>
public static class HistogramBins
{
    /// <summary>Number of counts a histogram over these edges holds: regular bins plus underflow and overflow.</summary>
    /// <param name="edges">Bin edges, ascending, at least two.</param>
    public static int CountLength(ReadOnlySpan<double> edges) => edges.Length + 1;

    /// <summary>Index of the count a finite value falls into (0 underflow, edges.Length overflow).</summary>
    /// <param name="edges">Bin edges, ascending, at least two.</param>
    /// <param name="value">A finite value.</param>
    public static int IndexOf(ReadOnlySpan<double> edges, double value)
    {
        if (value < edges[0])
        {
            return 0;
        }

        if (value > edges[^1])
        {
            return edges.Length;
        }

        // Binary search for the last edge <= value (edges[0] is), written so the JIT can use a conditional move
        // instead of a branch: on varied traffic the branch of a classic search is mispredicted half the time.
        // The top edge belongs to the last bin.
        var low = 0;
        var length = edges.Length;
        while (length > 1)
        {
            var half = length >>> 1;
            low = edges[low + half] <= value ? low + half : low;
            length -= half;
        }

        return Math.Min(low + 1, edges.Length - 1);
    }

    /// <summary>Checks that edges are usable: at least two, finite, non-decreasing, strictly increasing unless exactly [c, c].</summary>
    /// <param name="edges">Candidate edges.</param>
    /// <param name="parameterName">Name reported in the exception.</param>
    internal static void Validate(ReadOnlySpan<double> edges, string parameterName)
    {
        if (edges.Length < 2)
        {
            throw new ArgumentException("At least two bin edges are needed.", parameterName);
        }

        var constant = edges.Length == 2 && edges[0] == edges[1];
        for (var i = 0; i < edges.Length; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && !constant && edges[i] <= edges[i - 1]))
            {
                throw new ArgumentException("Bin edges must be finite and strictly increasing.", parameterName);
            }
        }
    }
}
