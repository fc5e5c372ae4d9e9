using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Collects the elements of one tensor as they are read from JSON: fixed-size elements straight into their
/// little-endian bytes, BYTES elements into one shared byte array.
/// </summary>
internal sealed class TensorBuffer
{
    private readonly string _name;
    private readonly TensorDataType _type;
    private readonly bool _rejectNonFinite;
    private readonly byte[] _data;
    private readonly int _elementSize;
    private readonly long _capacity;
    private byte[] _strings = [];
    private int _stringsLength;
    private readonly (int Offset, int Length)[] _spans;
    private long _count;

    public TensorBuffer(string name, TensorDataType type, long capacity, ProtocolLimits limits)
    {
        _name = name;
        _type = type;
        _capacity = capacity;
        _rejectNonFinite = limits.RejectNonFinite;
        _elementSize = type.ElementSize();
        if (type == TensorDataType.Bytes)
        {
            _data = [];
            _spans = new (int, int)[capacity];
        }
        else
        {
            _data = new byte[capacity * _elementSize];
            _spans = [];
        }
    }

    public long Count => _count;

    /// <summary>Bytes written so far for fixed-size types.</summary>
    public ReadOnlySpan<byte> WrittenData => _data.AsSpan(0, (int)(_count * _elementSize));

    /// <summary>Reads the scalar token the reader is on as the next element.</summary>
    public void Add(ref Utf8JsonReader reader)
    {
        if (_count >= _capacity)
        {
            throw ProtocolException.Input(_name, $"has more data elements than its shape allows ({_capacity}).");
        }

        if (_type == TensorDataType.Bytes)
        {
            AddString(ref reader);
        }
        else
        {
            var slot = _data.AsSpan((int)(_count * _elementSize), _elementSize);
            WriteFixed(ref reader, slot);
        }

        _count++;
    }

    public NamedTensor ToTensor(long[] shape)
    {
        if (_type != TensorDataType.Bytes)
        {
            return new NamedTensor(_name, _type, shape, _data);
        }

        var strings = new ReadOnlyMemory<byte>[_count];
        var memory = new ReadOnlyMemory<byte>(_strings, 0, _stringsLength);
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = memory.Slice(_spans[i].Offset, _spans[i].Length);
        }

        return new NamedTensor(_name, _type, shape, ReadOnlyMemory<byte>.Empty, strings);
    }

    private void AddString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Element("is not a JSON string (BYTES elements are strings).");
        }

        // The unescaped text is never longer than the escaped token.
        var needed = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (_strings.Length - _stringsLength < needed)
        {
            Array.Resize(ref _strings, Math.Max(_strings.Length * 2, _stringsLength + needed + 64));
        }

        var written = reader.CopyString(_strings.AsSpan(_stringsLength));
        _spans[_count] = (_stringsLength, written);
        _stringsLength += written;
    }

    private void WriteFixed(ref Utf8JsonReader reader, Span<byte> slot)
    {
        switch (_type)
        {
            case TensorDataType.Bool:
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    throw Element("is not true or false (BOOL elements are JSON booleans).");
                }

                slot[0] = reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0;
                break;
            case TensorDataType.UInt8:
                slot[0] = (byte)ReadUnsigned(ref reader, byte.MaxValue);
                break;
            case TensorDataType.UInt16:
                BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)ReadUnsigned(ref reader, ushort.MaxValue));
                break;
            case TensorDataType.UInt32:
                BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)ReadUnsigned(ref reader, uint.MaxValue));
                break;
            case TensorDataType.UInt64:
                BinaryPrimitives.WriteUInt64LittleEndian(slot, ReadUnsigned(ref reader, ulong.MaxValue));
                break;
            case TensorDataType.Int8:
                slot[0] = (byte)(sbyte)ReadSigned(ref reader, sbyte.MinValue, sbyte.MaxValue);
                break;
            case TensorDataType.Int16:
                BinaryPrimitives.WriteInt16LittleEndian(slot, (short)ReadSigned(ref reader, short.MinValue, short.MaxValue));
                break;
            case TensorDataType.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(slot, (int)ReadSigned(ref reader, int.MinValue, int.MaxValue));
                break;
            case TensorDataType.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(slot, ReadSigned(ref reader, long.MinValue, long.MaxValue));
                break;
            case TensorDataType.Float16:
                BinaryPrimitives.WriteHalfLittleEndian(slot, ReadHalf(ref reader));
                break;
            case TensorDataType.Float32:
                BinaryPrimitives.WriteSingleLittleEndian(slot, ReadSingle(ref reader));
                break;
            case TensorDataType.Float64:
                BinaryPrimitives.WriteDoubleLittleEndian(slot, ReadDouble(ref reader));
                break;
            case TensorDataType.BFloat16:
                BinaryPrimitives.WriteUInt16LittleEndian(slot, ReadBFloat16(ref reader));
                break;
            default:
                throw ProtocolException.Input(_name, $"has datatype {_type.ToProtocolName()}, which JSON data cannot carry.");
        }
    }

    private ulong ReadUnsigned(ref Utf8JsonReader reader, ulong max)
    {
        RequireNumber(ref reader);
        if (!reader.TryGetUInt64(out var value) || value > max)
        {
            throw OutOfRange(ref reader, $"not an integer from 0 to {max}");
        }

        return value;
    }

    private long ReadSigned(ref Utf8JsonReader reader, long min, long max)
    {
        RequireNumber(ref reader);
        if (!reader.TryGetInt64(out var value) || value < min || value > max)
        {
            throw OutOfRange(ref reader, $"not an integer from {min} to {max}");
        }

        return value;
    }

    private Half ReadHalf(ref Utf8JsonReader reader)
    {
        var value = ReadDouble(ref reader);
        var half = (Half)value;
        if (Half.IsInfinity(half) && double.IsFinite(value))
        {
            throw OutOfRange(ref reader, "outside the FP16 range");
        }

        return half;
    }

    private ushort ReadBFloat16(ref Utf8JsonReader reader)
    {
        var value = ReadSingle(ref reader);
        var bits = BFloat16Bits.FromSingle(value);
        if (float.IsInfinity(BFloat16Bits.ToSingle(bits)) && float.IsFinite(value))
        {
            throw OutOfRange(ref reader, "outside the BF16 range");
        }

        return bits;
    }

    private float ReadSingle(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return (float)ReadNamedNonFinite(ref reader);
        }

        RequireNumber(ref reader);
        if (!reader.TryGetSingle(out var value) || !float.IsFinite(value))
        {
            throw OutOfRange(ref reader, $"outside the {_type.ToProtocolName()} range");
        }

        return value;
    }

    private double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return ReadNamedNonFinite(ref reader);
        }

        RequireNumber(ref reader);
        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw OutOfRange(ref reader, $"outside the {_type.ToProtocolName()} range");
        }

        return value;
    }

    // JSON numbers cannot be NaN or infinite; like System.Text.Json, accept them as the strings "NaN", "Infinity", "-Infinity".
    private double ReadNamedNonFinite(ref Utf8JsonReader reader)
    {
        double value;
        if (reader.ValueTextEquals("NaN"u8))
        {
            value = double.NaN;
        }
        else if (reader.ValueTextEquals("Infinity"u8))
        {
            value = double.PositiveInfinity;
        }
        else if (reader.ValueTextEquals("-Infinity"u8))
        {
            value = double.NegativeInfinity;
        }
        else
        {
            throw Element($"is a string, not a number ({_type.ToProtocolName()} elements are JSON numbers, or \"NaN\", \"Infinity\", \"-Infinity\").");
        }

        if (_rejectNonFinite)
        {
            throw Element("is not finite, and this server rejects NaN and infinite values.");
        }

        return value;
    }

    private void RequireNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Element($"is not a number ({_type.ToProtocolName()} elements are JSON numbers).");
        }
    }

    private ProtocolException OutOfRange(ref Utf8JsonReader reader, string expectation)
    {
        var text = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        return Element($"is {Shorten(text)}, {expectation}.");
    }

    private ProtocolException Element(string problem) =>
        ProtocolException.Input(_name, $"({_type.ToProtocolName()}): data element {_count} {problem}");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
