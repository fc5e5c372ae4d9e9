namespace ModelFunctions.Bench;

/// <summary>
/// The numbers every bench tool sends: uniform in [0, 8) with two decimals (what a client typically sends), one fixed
/// seed per variant, so the load generator and the service harness see the same inputs on every run.
/// </summary>
internal static class InputValues
{
    public static float[] Create(int count, int variant)
    {
        var random = new Random(42 + variant);
        var data = new float[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = MathF.Round((float)random.NextDouble() * 8, 2);
        }

        return data;
    }
}
