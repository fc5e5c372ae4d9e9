using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Refuses NaN and infinities in floating-point inputs, for models whose settings ask for it.
/// </summary>
internal static class NonFiniteCheck
{
    public static void ThrowIfAny(IReadOnlyList<NamedTensor> inputs)
    {
        foreach (var input in inputs)
        {
            var index = input.DataType switch
            {
                TensorDataType.Float32 => IndexOfNonFinite(input.AsSpan<float>()),
                TensorDataType.Float64 => IndexOfNonFinite(input.AsSpan<double>()),
                TensorDataType.Float16 => IndexOfNonFinite(input.AsSpan<Half>()),
                _ => -1,
            };
            if (index >= 0)
            {
                throw new ProtocolException(400, $"Input '{input.Name}' has a non-finite value at element {index}; this model does not accept NaN or infinity.", input.Name);
            }
        }
    }

    private static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
