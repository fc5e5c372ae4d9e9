using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>
/// Compares an actual output with the expected one: same type and shape; floating-point elements within
/// <c>atol + rtol * |expected|</c> (NaN equals NaN, infinities must match); everything else exactly.
/// </summary>
internal static class TensorComparer
{
    public const double RelativeTolerance = 1e-3;
    public const double AbsoluteTolerance = 1e-5;

    /// <summary>Null when the tensors agree, else what differs.</summary>
    public static string? Difference(NamedTensor expected, NamedTensor actual)
    {
        if (expected.DataType != actual.DataType)
        {
            return $"type {actual.DataType.ToProtocolName()}, expected {expected.DataType.ToProtocolName()}";
        }

        if (!expected.Shape.AsSpan().SequenceEqual(actual.Shape))
        {
            return $"shape {TensorShapes.Format(actual.Shape)}, expected {TensorShapes.Format(expected.Shape)}";
        }

        if (expected.DataType == TensorDataType.Bytes)
        {
            var want = expected.Strings ?? [];
            var got = actual.Strings ?? [];
            for (var i = 0; i < want.Count; i++)
            {
                if (!want[i].Span.SequenceEqual(got[i].Span))
                {
                    return $"string element {i} '{Text(got[i])}', expected '{Text(want[i])}'";
                }
            }

            return null;
        }

        var values = expected.DataType switch
        {
            TensorDataType.Float32 => Widen(expected.AsSpan<float>(), actual.AsSpan<float>(), f => f),
            TensorDataType.Float64 => Widen(expected.AsSpan<double>(), actual.AsSpan<double>(), d => d),
            TensorDataType.Float16 => Widen(expected.AsSpan<Half>(), actual.AsSpan<Half>(), h => (double)h),
            TensorDataType.BFloat16 => Widen(expected.AsSpan<ushort>(), actual.AsSpan<ushort>(), b => BitConverter.Int32BitsToSingle(b << 16)),
            _ => null,
        };
        if (values is null)
        {
            var index = expected.Data.Span.CommonPrefixLength(actual.Data.Span);
            return index == expected.Data.Length && index == actual.Data.Length
                ? null
                : $"byte {index} of the {expected.DataType.ToProtocolName()} data differs (element {index / expected.DataType.ElementSize()})";
        }

        var (want64, got64) = values.Value;
        for (var i = 0; i < want64.Length; i++)
        {
            if (!Close(want64[i], got64[i]))
            {
                return $"element {i} is {got64[i]:R}, expected {want64[i]:R} (rtol {RelativeTolerance}, atol {AbsoluteTolerance})";
            }
        }

        return null;
    }

    private static string Text(ReadOnlyMemory<byte> bytes) =>
        System.Text.Encoding.UTF8.GetString(bytes.Span[..Math.Min(bytes.Length, 40)]);

    private static bool Close(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        return Math.Abs(expected - actual) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(expected);
    }

    private static (double[] Expected, double[] Actual)? Widen<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, Func<T, double> widen)
        where T : unmanaged
    {
        var want = new double[expected.Length];
        var got = new double[actual.Length];
        for (var i = 0; i < want.Length; i++)
        {
            want[i] = widen(expected[i]);
            got[i] = widen(actual[i]);
        }

        return (want, got);
    }
}
