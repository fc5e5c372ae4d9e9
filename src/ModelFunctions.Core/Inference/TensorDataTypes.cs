using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// Conversions between <see cref="TensorDataType"/>, protocol datatype names and ONNX Runtime element types.
/// </summary>
public static class TensorDataTypes
{
    private static readonly (TensorDataType Type, string Name, int Size, TensorElementType Ort)[] Table =
    [
        (TensorDataType.Bool, "BOOL", 1, TensorElementType.Bool),
        (TensorDataType.UInt8, "UINT8", 1, TensorElementType.UInt8),
        (TensorDataType.UInt16, "UINT16", 2, TensorElementType.UInt16),
        (TensorDataType.UInt32, "UINT32", 4, TensorElementType.UInt32),
        (TensorDataType.UInt64, "UINT64", 8, TensorElementType.UInt64),
        (TensorDataType.Int8, "INT8", 1, TensorElementType.Int8),
        (TensorDataType.Int16, "INT16", 2, TensorElementType.Int16),
        (TensorDataType.Int32, "INT32", 4, TensorElementType.Int32),
        (TensorDataType.Int64, "INT64", 8, TensorElementType.Int64),
        (TensorDataType.Float16, "FP16", 2, TensorElementType.Float16),
        (TensorDataType.Float32, "FP32", 4, TensorElementType.Float),
        (TensorDataType.Float64, "FP64", 8, TensorElementType.Double),
        (TensorDataType.BFloat16, "BF16", 2, TensorElementType.BFloat16),
        (TensorDataType.Bytes, "BYTES", 0, TensorElementType.String),
    ];

    /// <summary>The protocol name of a datatype, such as <c>FP32</c>.</summary>
    public static string ToProtocolName(this TensorDataType type) => Table[(int)type].Name;

    /// <summary>Parses a protocol datatype name (case-sensitive, as the protocol spells them).</summary>
    public static bool TryParseProtocolName(ReadOnlySpan<char> name, out TensorDataType type)
    {
        foreach (var row in Table)
        {
            if (name.SequenceEqual(row.Name))
            {
                type = row.Type;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Bytes per element; 0 for <see cref="TensorDataType.Bytes"/>, whose elements vary in length.</summary>
    public static int ElementSize(this TensorDataType type) => Table[(int)type].Size;

    /// <summary>The ONNX Runtime element type of a datatype.</summary>
    internal static TensorElementType ToOrt(this TensorDataType type) => Table[(int)type].Ort;

    /// <summary>The datatype of an ONNX Runtime element type, when the protocol can carry it.</summary>
    internal static bool TryFromOrt(TensorElementType ort, [NotNullWhen(true)] out TensorDataType? type)
    {
        foreach (var row in Table)
        {
            if (row.Ort == ort)
            {
                type = row.Type;
                return true;
            }
        }

        type = null;
        return false;
    }
}
