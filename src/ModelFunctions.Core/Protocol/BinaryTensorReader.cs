using System.Buffers.Binary;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Decodes one input's slice of the binary tail (the binary tensor data extension): raw little-endian elements,
/// or for BYTES a 4-byte little-endian length before each element.
/// </summary>
internal static class BinaryTensorReader
{
    public static NamedTensor Read(ReadOnlySpan<byte> slice, string name, TensorDataType type, long[] shape, long count, ProtocolLimits limits)
    {
        if (type == TensorDataType.Bytes)
        {
            return ReadStrings(slice, name, shape, count);
        }

        var expected = count * type.ElementSize();
        if (slice.Length != expected)
        {
            throw ProtocolException.Input(name, $"has binary_data_size {slice.Length}, but {count} {type.ToProtocolName()} elements of shape {TensorShapes.Format(shape)} take {expected} bytes.");
        }

        if (limits.RejectNonFinite)
        {
            RequireFinite(slice, name, type);
        }

        return new NamedTensor(name, type, shape, slice.ToArray());
    }

    private static NamedTensor ReadStrings(ReadOnlySpan<byte> slice, string name, long[] shape, long count)
    {
        // Each element takes at least its 4-byte length, which bounds the element array before it is allocated.
        if (count > slice.Length / 4)
        {
            throw ProtocolException.Input(name, $"has binary_data_size {slice.Length}, too small for {count} BYTES elements (each takes at least 4 bytes).");
        }

        var copy = slice.ToArray();
        var memory = new ReadOnlyMemory<byte>(copy);
        var strings = new ReadOnlyMemory<byte>[count];
        var offset = 0;
        for (var i = 0; i < strings.Length; i++)
        {
            if (copy.Length - offset < 4)
            {
                throw ProtocolException.Input(name, $"has binary data that ends inside the length of BYTES element {i}.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset));
            offset += 4;
            if (length > (uint)(copy.Length - offset))
            {
                throw ProtocolException.Input(name, $"has BYTES element {i} of length {length}, longer than the {copy.Length - offset} bytes left in its binary data.");
            }

            strings[i] = memory.Slice(offset, (int)length);
            offset += (int)length;
        }

        if (offset != copy.Length)
        {
            throw ProtocolException.Input(name, $"has {copy.Length - offset} bytes of binary data after its {count} BYTES elements; binary_data_size must match them exactly.");
        }

        return new NamedTensor(name, TensorDataType.Bytes, shape, ReadOnlyMemory<byte>.Empty, strings);
    }

    private static void RequireFinite(ReadOnlySpan<byte> slice, string name, TensorDataType type)
    {
        var index = type switch
        {
            TensorDataType.Float32 => FirstNonFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(slice)),
            TensorDataType.Float64 => FirstNonFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(slice)),
            TensorDataType.Float16 => FirstNonFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(slice)),
            TensorDataType.BFloat16 => FirstNonFiniteBFloat16(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(slice)),
            _ => -1,
        };
        if (index >= 0)
        {
            throw ProtocolException.Input(name, $"({type.ToProtocolName()}): binary element {index} is not finite, and this server rejects NaN and infinite values.");
        }
    }

    private static int FirstNonFinite<T>(ReadOnlySpan<T> values) where T : System.Numerics.IFloatingPointIeee754<T>
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

    private static int FirstNonFiniteBFloat16(ReadOnlySpan<ushort> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // All exponent bits set: infinity or NaN.
            if ((values[i] & 0x7F80) == 0x7F80)
            {
                return i;
            }
        }

        return -1;
    }
}
