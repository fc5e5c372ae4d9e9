namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>The samples named in reference_values.py, built with the same arithmetic.</summary>
internal static class Samples
{
    public static readonly double[] A = [0.1, 0.4, 0.7, 1.3, 2.2, 2.9, 3.1];
    public static readonly double[] B = [0.5, 0.9, 1.1, 1.8, 2.5, 4.0, 4.2, 5.1, 6.3];
    public static readonly double[] TiesA = [1, 1, 2, 2, 2, 3, 5, 5];
    public static readonly double[] TiesB = [1, 2, 3, 3, 4, 4, 5];

    public static double[] BigA { get; } = Sequence(300, i => (i * 0.6180339887) % 1.0);

    public static double[] BigB { get; } = Sequence(250, i => (((i * 0.4142135623) % 1.0) * 1.1) + 0.05);

    public static double[] HugeA { get; } = Sequence(12000, i => (i * 0.6180339887) % 1.0);

    public static double[] HugeB { get; } = Sequence(11000, i => ((i * 0.4142135623) % 1.0) * 1.02);

    public static double[] AutoA { get; } = Sequence(10000, i => (i * 0.6180339887) % 1.0);

    public static double[] AutoB { get; } = Sequence(9999, i => ((i * 0.4142135623) % 1.0) * 1.01);

    public static double[] EqA { get; } = Sequence(200, i => (i * 0.7548776662) % 1.0);

    public static double[] EqB { get; } = Sequence(200, i => ((i * 0.5698402910) % 1.0) + 0.15);

    public static double[] Range(int start, int stop) => Sequence(stop - start, i => start + i - 1);

    private static double[] Sequence(int count, Func<int, double> term)
    {
        var values = new double[count];
        for (var i = 1; i <= count; i++)
        {
            values[i - 1] = term(i);
        }

        return values;
    }
}
