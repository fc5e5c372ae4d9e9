using System.Buffers.Binary;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Tests.Onnx;

namespace ModelFunctions.Core.Tests.Conformance;

public sealed class TensorProtoDecoderTests
{
    [Fact]
    public void Decode_Float16FromInt32Data_KeepsTheLow16Bits()
    {
        var bytes = Tensor("h", 10, [2], Packed(5, 0x3C00, 0xC000));

        var tensor = TensorProtoDecoder.Decode(bytes);

        Assert.Equal(TensorDataType.Float16, tensor.DataType);
        Assert.Equal([(Half)1, (Half)(-2)], tensor.AsSpan<Half>().ToArray());
    }

    [Fact]
    public void Decode_BFloat16FromInt32Data_KeepsTheBitPattern()
    {
        var tensor = TensorProtoDecoder.Decode(Tensor("b", 16, [1], Packed(5, 0x3F80)));

        Assert.Equal(TensorDataType.BFloat16, tensor.DataType);
        Assert.Equal([(ushort)0x3F80], tensor.AsSpan<ushort>().ToArray());
    }

    [Fact]
    public void Decode_BoolInt8AndUInt16FromInt32Data_TakeOneOrTwoBytesPerElement()
    {
        var flags = TensorProtoDecoder.Decode(Tensor("f", 9, [3], Packed(5, 1, 0, 1)));
        var small = TensorProtoDecoder.Decode(Tensor("s", 3, [2], Packed(5, unchecked((ulong)-3L), 100)));
        var wide = TensorProtoDecoder.Decode(Tensor("w", 4, [1], Packed(5, 65535)));

        Assert.Equal([1, 0, 1], flags.Data.ToArray());
        Assert.Equal([(sbyte)-3, (sbyte)100], small.AsSpan<sbyte>().ToArray());
        Assert.Equal([(ushort)65535], wide.AsSpan<ushort>().ToArray());
    }

    [Fact]
    public void Decode_Int32AndInt64_AcceptNegativeVarints()
    {
        var int32 = TensorProtoDecoder.Decode(Tensor("i", 6, [2], Packed(5, unchecked((ulong)-7L), 7)));
        var int64 = TensorProtoDecoder.Decode(Tensor("l", 7, [2], [.. ProtoBytes.VarintField(7, unchecked((ulong)long.MinValue)), .. ProtoBytes.VarintField(7, 1)]));

        Assert.Equal([-7, 7], int32.AsSpan<int>().ToArray());
        Assert.Equal([long.MinValue, 1L], int64.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Decode_UnsignedFromUint64Data_FitsTheElementSize()
    {
        var uint32 = TensorProtoDecoder.Decode(Tensor("u", 12, [1], Packed(11, 4_000_000_000)));
        var uint64 = TensorProtoDecoder.Decode(Tensor("v", 13, [1], Packed(11, ulong.MaxValue)));

        Assert.Equal([4_000_000_000u], uint32.AsSpan<uint>().ToArray());
        Assert.Equal([ulong.MaxValue], uint64.AsSpan<ulong>().ToArray());
    }

    [Fact]
    public void Decode_FloatDataUnpackedAndDoubleDataPacked_AreRead()
    {
        byte[] floats = [.. ProtoBytes.Tag(4, 5), .. Le(1.5f), .. ProtoBytes.Tag(4, 5), .. Le(-0.25f)];
        byte[] doubles = ProtoBytes.Message(10, [.. Le(Math.PI), .. Le(double.NaN)]);

        var f = TensorProtoDecoder.Decode(Tensor("f", 1, [2], floats));
        var d = TensorProtoDecoder.Decode(Tensor("d", 11, [2], doubles));

        Assert.Equal([1.5f, -0.25f], f.AsSpan<float>().ToArray());
        Assert.Equal(Math.PI, d.AsSpan<double>()[0]);
        Assert.True(double.IsNaN(d.AsSpan<double>()[1]));
    }

    [Fact]
    public void Decode_Strings_KeepNameShapeAndBytes()
    {
        var tensor = TensorProtoDecoder.Decode(Tensor("text", 8, [1, 2], [.. ProtoBytes.String(6, "héllo"), .. ProtoBytes.String(6, "")]));

        Assert.Equal("text", tensor.Name);
        Assert.Equal([1L, 2L], tensor.Shape);
        Assert.Equal(["héllo", ""], tensor.Strings!.Select(s => System.Text.Encoding.UTF8.GetString(s.Span)));
    }

    [Fact]
    public void Decode_RawDataOfTheWrongLength_IsRejected()
    {
        var ex = Assert.Throws<InvalidDataException>(() => TensorProtoDecoder.Decode(Tensor("r", 1, [3], ProtoBytes.Message(9, new byte[8]))));

        Assert.Contains("8 bytes", ex.Message);
    }

    [Fact]
    public void Decode_ComplexTensor_IsNotSupported()
    {
        Assert.Throws<NotSupportedException>(() => TensorProtoDecoder.Decode(Tensor("c", 14, [1], ProtoBytes.Message(9, new byte[8]))));
    }

    [Fact]
    public void Decode_BackendTestStringFile_ReadsStringData()
    {
        // Values checked with onnx.numpy_helper on the same file.
        const string file = "/usr/share/libonnx-testdata/data/node/test_cast_STRING_to_FLOAT/test_data_set_0/input_0.pb";
        Assert.True(File.Exists(file), "libonnx-testdata is missing: apt-get install libonnx-testdata");

        var tensor = TensorProtoDecoder.Decode(File.ReadAllBytes(file));

        Assert.Equal("input", tensor.Name);
        Assert.Equal([3L, 4L], tensor.Shape);
        Assert.Equal("0.47892547", System.Text.Encoding.UTF8.GetString(tensor.Strings![0].Span));
    }

    private static byte[] Tensor(string name, int onnxType, long[] dims, byte[] data)
    {
        var bytes = new List<byte>();
        foreach (var dim in dims)
        {
            bytes.AddRange(ProtoBytes.VarintField(1, (ulong)dim));
        }

        bytes.AddRange(ProtoBytes.VarintField(2, (ulong)onnxType));
        bytes.AddRange(ProtoBytes.String(8, name));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static byte[] Packed(int field, params ulong[] values) =>
        ProtoBytes.Message(field, values.SelectMany(ProtoBytes.Varint).ToArray());

    private static byte[] Le(float value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Le(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }
}
