using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Conformance;

public sealed class TensorComparerTests
{
    [Fact]
    public void Difference_FloatsWithinTolerance_IsNull()
    {
        var expected = NamedTensor.FromArray("y", TensorDataType.Float32, [3], [1000f, 0f, float.NaN]);
        var actual = NamedTensor.FromArray("y", TensorDataType.Float32, [3], [1000.9f, 9e-6f, float.NaN]);

        Assert.Null(TensorComparer.Difference(expected, actual));
    }

    [Fact]
    public void Difference_FloatOutsideTolerance_NamesTheElement()
    {
        var expected = NamedTensor.FromArray("y", TensorDataType.Float32, [2], [1000f, 0f]);
        var actual = NamedTensor.FromArray("y", TensorDataType.Float32, [2], [1000f, 2e-5f]);

        Assert.StartsWith("element 1 is", TensorComparer.Difference(expected, actual));
    }

    [Fact]
    public void Difference_NaNAgainstNumberOrInfinityAgainstMax_IsReported()
    {
        var nan = NamedTensor.FromArray("y", TensorDataType.Float64, [1], [double.NaN]);
        var one = NamedTensor.FromArray("y", TensorDataType.Float64, [1], [1.0]);
        var inf = NamedTensor.FromArray("y", TensorDataType.Float16, [1], [Half.PositiveInfinity]);
        var max = NamedTensor.FromArray("y", TensorDataType.Float16, [1], [Half.MaxValue]);

        Assert.NotNull(TensorComparer.Difference(nan, one));
        Assert.NotNull(TensorComparer.Difference(inf, max));
    }

    [Fact]
    public void Difference_IntegersOffByOne_IsReported()
    {
        var expected = NamedTensor.FromArray("y", TensorDataType.Int64, [2], [5L, 6L]);
        var actual = NamedTensor.FromArray("y", TensorDataType.Int64, [2], [5L, 7L]);

        Assert.Contains("element 1", TensorComparer.Difference(expected, actual));
    }

    [Fact]
    public void Difference_ShapeOrTypeMismatch_IsReported()
    {
        var expected = NamedTensor.FromArray("y", TensorDataType.Int32, [2, 1], [1, 2]);

        Assert.StartsWith("shape", TensorComparer.Difference(expected, expected with { Shape = [1, 2] }));
        Assert.StartsWith("type", TensorComparer.Difference(expected, expected with { DataType = TensorDataType.UInt32 }));
    }

    [Fact]
    public void Difference_StringsCompareExactly()
    {
        var expected = NamedTensor.FromStrings("s", [2], ["a", "b"]);

        Assert.Null(TensorComparer.Difference(expected, NamedTensor.FromStrings("s", [2], ["a", "b"])));
        Assert.Contains("string element 1", TensorComparer.Difference(expected, NamedTensor.FromStrings("s", [2], ["a", "B"])));
    }
}
