using System.Buffers.Binary;
using System.Text;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>Reads one element of a tensor as a number or, for strings, as text.</summary>
internal static class TensorValues
{
    public static bool IsText(NamedTensor tensor) => tensor.DataType == TensorDataType.Bytes;

    public static string? Text(NamedTensor tensor, int index) =>
        tensor.Strings is { } strings && index < strings.Count ? Encoding.UTF8.GetString(strings[index].Span) : null;

    public static double Number(NamedTensor tensor, int index) => Number(tensor.Data.Span, tensor.DataType, index);

    /// <summary>One element of a tensor's bytes; callers reading many elements take the span once.</summary>
    public static double Number(ReadOnlySpan<byte> data, TensorDataType dataType, int index)
    {
        return dataType switch
        {
            TensorDataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(data[(index * 4)..]),
            TensorDataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(data[(index * 8)..]),
            TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(data[(index * 8)..]),
            TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(data[(index * 4)..]),
            TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(data[(index * 2)..]),
            TensorDataType.Int8 => (sbyte)data[index],
            TensorDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(data[(index * 8)..]),
            TensorDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(data[(index * 4)..]),
            TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(data[(index * 2)..]),
            TensorDataType.UInt8 => data[index],
            TensorDataType.Bool => data[index] != 0 ? 1.0 : 0.0,
            TensorDataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(data[(index * 2)..]),
            TensorDataType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(index * 2)..]) << 16),
            _ => double.NaN,
        };
    }
}
