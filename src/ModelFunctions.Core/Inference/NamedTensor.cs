namespace ModelFunctions.Core.Inference;

/// <summary>
/// A named tensor in row-major order: fixed-size elements as little-endian bytes in <see cref="Data"/>,
/// or, for <see cref="TensorDataType.Bytes"/>, one byte string per element in <see cref="Strings"/>.
/// </summary>
/// <param name="Name">Input or output name.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Dimensions; every one is known (no -1).</param>
/// <param name="Data">Element bytes for fixed-size types; empty for <see cref="TensorDataType.Bytes"/>.</param>
/// <param name="Strings">Elements of a <see cref="TensorDataType.Bytes"/> tensor; null otherwise.</param>
public sealed record NamedTensor(
    string Name,
    TensorDataType DataType,
    long[] Shape,
    ReadOnlyMemory<byte> Data,
    IReadOnlyList<ReadOnlyMemory<byte>>? Strings = null)
{
    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount => TensorShapes.ElementCount(Shape);

    /// <summary>Creates a tensor of fixed-size elements from a typed array.</summary>
    public static NamedTensor FromArray<T>(string name, TensorDataType dataType, long[] shape, T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return new NamedTensor(name, dataType, shape, bytes);
    }

    /// <summary>Creates a <see cref="TensorDataType.Bytes"/> tensor from UTF-8 strings.</summary>
    public static NamedTensor FromStrings(string name, long[] shape, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var elements = values.Select(v => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(v)).ToArray();
        return new NamedTensor(name, TensorDataType.Bytes, shape, ReadOnlyMemory<byte>.Empty, elements);
    }

    /// <summary>Reads the elements of a fixed-size tensor as <typeparamref name="T"/>.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(Data.Span);
}
