using System.Buffers.Binary;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Onnx;

namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>
/// Decodes a serialized ONNX TensorProto (the input_N.pb / output_N.pb files of ONNX's backend test data)
/// into a <see cref="NamedTensor"/>, from raw_data or from the typed repeated fields.
/// </summary>
internal static class TensorProtoDecoder
{
    private const int Dims = 1;
    private const int DataTypeField = 2;
    private const int FloatData = 4;
    private const int Int32Data = 5;
    private const int StringData = 6;
    private const int Int64Data = 7;
    private const int Name = 8;
    private const int RawData = 9;
    private const int DoubleData = 10;
    private const int Uint64Data = 11;
    private const int DataLocation = 14;

    /// <summary>Decodes a tensor; element types the protocol cannot carry raise <see cref="NotSupportedException"/>.</summary>
    public static NamedTensor Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var dims = new List<ulong>();
        var int32 = new List<ulong>();
        var int64 = new List<ulong>();
        var uint64 = new List<ulong>();
        var fixedData = new List<byte>();
        var strings = new List<ReadOnlyMemory<byte>>();
        byte[]? raw = null;
        var onnxType = 0;
        var name = string.Empty;

        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case Dims:
                    reader.ReadRepeatedVarint(wire, dims);
                    break;
                case DataTypeField:
                    reader.Expect(wire, WireType.Varint, "TensorProto.data_type");
                    onnxType = reader.ReadInt32();
                    break;
                case FloatData:
                    fixedData.AddRange(reader.ReadRepeatedFixed(wire, 4));
                    break;
                case DoubleData:
                    fixedData.AddRange(reader.ReadRepeatedFixed(wire, 8));
                    break;
                case Int32Data:
                    reader.ReadRepeatedVarint(wire, int32);
                    break;
                case Int64Data:
                    reader.ReadRepeatedVarint(wire, int64);
                    break;
                case Uint64Data:
                    reader.ReadRepeatedVarint(wire, uint64);
                    break;
                case StringData:
                    strings.Add(reader.ReadLengthDelimited().ToArray());
                    break;
                case Name:
                    name = reader.ReadString();
                    break;
                case RawData:
                    raw = reader.ReadLengthDelimited().ToArray();
                    break;
                case DataLocation:
                    reader.Expect(wire, WireType.Varint, "TensorProto.data_location");
                    if (reader.ReadInt32() != 0)
                    {
                        throw new NotSupportedException($"Tensor '{name}' keeps its data in an external file.");
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        var type = ToDataType(onnxType, name);
        var shape = dims.Select(d => unchecked((long)d)).ToArray();
        var count = TensorShapes.ElementCount(shape);
        if (type == TensorDataType.Bytes)
        {
            if (strings.Count != count)
            {
                throw new InvalidDataException($"Tensor '{name}' has {strings.Count} strings for {count} elements.");
            }

            return new NamedTensor(name, type, shape, ReadOnlyMemory<byte>.Empty, strings);
        }

        var size = type.ElementSize();
        var data = raw ?? TypedData(type, fixedData, int32, int64, uint64);
        if (data.Length != count * size)
        {
            throw new InvalidDataException($"Tensor '{name}' has {data.Length} bytes of {type} data for {count} elements.");
        }

        return new NamedTensor(name, type, shape, data);
    }

    private static byte[] TypedData(
        TensorDataType type, List<byte> fixedData, List<ulong> int32, List<ulong> int64, List<ulong> uint64)
    {
        switch (type)
        {
            case TensorDataType.Float32 or TensorDataType.Float64:
                return [.. fixedData];
            case TensorDataType.Int64:
                return Pack(int64, 8);
            case TensorDataType.UInt64:
                return Pack(uint64, 8);
            case TensorDataType.UInt32:
                return Pack(uint64, 4);
            case TensorDataType.Int32:
                return Pack(int32, 4);
            case TensorDataType.Int16 or TensorDataType.UInt16 or TensorDataType.Float16 or TensorDataType.BFloat16:
                // Two-byte types keep their bit pattern in the low 16 bits of int32_data.
                return Pack(int32, 2);
            default:
                // bool, int8 and uint8 keep one value per int32_data element.
                return Pack(int32, 1);
        }
    }

    private static byte[] Pack(List<ulong> values, int size)
    {
        var bytes = new byte[values.Count * size];
        Span<byte> element = stackalloc byte[8];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(element, values[i]);
            element[..size].CopyTo(bytes.AsSpan(i * size));
        }

        return bytes;
    }

    private static TensorDataType ToDataType(int onnxType, string name) => onnxType switch
    {
        1 => TensorDataType.Float32,
        2 => TensorDataType.UInt8,
        3 => TensorDataType.Int8,
        4 => TensorDataType.UInt16,
        5 => TensorDataType.Int16,
        6 => TensorDataType.Int32,
        7 => TensorDataType.Int64,
        8 => TensorDataType.Bytes,
        9 => TensorDataType.Bool,
        10 => TensorDataType.Float16,
        11 => TensorDataType.Float64,
        12 => TensorDataType.UInt32,
        13 => TensorDataType.UInt64,
        16 => TensorDataType.BFloat16,
        14 or 15 => throw new NotSupportedException($"Tensor '{name}' is complex (ONNX type {onnxType}); the protocol cannot carry it."),
        _ => throw new NotSupportedException($"Tensor '{name}' has ONNX element type {onnxType}, which the protocol cannot carry."),
    };
}
