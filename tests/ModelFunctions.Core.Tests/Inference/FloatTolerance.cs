namespace ModelFunctions.Core.Tests.Inference;

/// <summary>Compares floats within an absolute-or-relative tolerance.</summary>
internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) =>
        Math.Abs(x - y) <= tolerance * Math.Max(1f, Math.Max(Math.Abs(x), Math.Abs(y)));

    public int GetHashCode(float obj) => 0;
}
