namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>Tolerance assertions for reference values.</summary>
internal static class Approx
{
    public static void Relative(double expected, double actual, double tolerance = 1e-9)
    {
        var scale = Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(
            Math.Abs(expected - actual) <= tolerance * scale,
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / scale:E2} > {tolerance:E1})");
    }

    public static void Absolute(double expected, double actual, double tolerance)
    {
        Assert.True(
            Math.Abs(expected - actual) <= tolerance,
            $"expected {expected:R}, got {actual:R} (absolute error {Math.Abs(expected - actual):E2} > {tolerance:E1})");
    }
}
