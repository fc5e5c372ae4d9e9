namespace ModelFunctions.Core.Inference;

/// <summary>
/// Shape arithmetic shared by the engine and the protocol.
/// </summary>
public static class TensorShapes
{
    /// <summary>Product of the dimensions; 1 for a scalar. Throws on a negative dimension or overflow.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Dimension {dim} is negative.");
            }

            count = checked(count * dim);
        }

        return count;
    }

    /// <summary>Whether a concrete shape fits a declared one (same rank; -1 matches any size).</summary>
    public static bool Fits(ReadOnlySpan<long> shape, ReadOnlySpan<long> declared)
    {
        if (shape.Length != declared.Length)
        {
            return false;
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (declared[i] >= 0 && declared[i] != shape[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats a shape as <c>[1, -1, 4]</c> for messages.</summary>
    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
