using System.Buffers.Binary;
using System.Text;

namespace ModelFunctions.Core.Onnx;

/// <summary>
/// Reads protobuf wire format from a buffer, one field at a time. Every length is checked against the
/// bytes that remain, so malformed or hostile input raises <see cref="InvalidDataException"/> and never
/// reads out of bounds. Nested messages are read by opening a new reader on the field's bytes.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>How deeply groups in unknown fields may nest before the input is refused.</summary>
    public const int MaxGroupDepth = 64;

    private const int MaxFieldNumber = (1 << 29) - 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly long _origin;
    private int _position;

    /// <summary>Creates a reader over a message's bytes.</summary>
    /// <param name="buffer">The serialized message.</param>
    /// <param name="origin">Offset of <paramref name="buffer"/> in the whole file, for error messages.</param>
    public ProtoReader(ReadOnlySpan<byte> buffer, long origin = 0)
    {
        _buffer = buffer;
        _origin = origin;
        _position = 0;
    }

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool IsAtEnd => _position >= _buffer.Length;

    /// <summary>Offset of the next byte in the whole file.</summary>
    public readonly long Offset => _origin + _position;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (IsAtEnd)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        var start = Offset;
        var tag = ReadVarint();
        var number = tag >> 3;
        var type = (int)(tag & 7);
        if (number == 0 || number > MaxFieldNumber)
        {
            throw Invalid(start, $"field number {number} is out of range");
        }

        if (type is 6 or 7)
        {
            throw Invalid(start, $"wire type {type} does not exist");
        }

        fieldNumber = (int)number;
        wireType = (WireType)type;
        return true;
    }

    /// <summary>Reads a base-128 varint of at most ten bytes.</summary>
    public ulong ReadVarint()
    {
        var start = Offset;
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (IsAtEnd)
            {
                throw Invalid(start, "a varint runs past the end of the data");
            }

            var b = _buffer[_position++];
            if (shift == 63 && b > 1)
            {
                throw Invalid(start, "a varint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw Invalid(start, "a varint is longer than ten bytes");
    }

    /// <summary>Reads a varint as a signed 64-bit integer (protobuf int64).</summary>
    public long ReadInt64() => unchecked((long)ReadVarint());

    /// <summary>Reads a varint as a signed 32-bit integer (protobuf int32 and enums; upper bits are dropped).</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    /// <summary>Reads four little-endian bytes.</summary>
    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads eight little-endian bytes.</summary>
    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a length-delimited field's bytes (a slice of the buffer, not a copy).</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var start = Offset;
        var length = ReadVarint();
        var left = _buffer.Length - _position;
        if (length > (ulong)left)
        {
            throw Invalid(start, $"a length of {length} bytes exceeds the {left} bytes left");
        }

        return Take((int)length);
    }

    /// <summary>Opens a reader on a length-delimited field holding a nested message.</summary>
    public ProtoReader ReadMessage()
    {
        var bytes = ReadLengthDelimited();
        return new ProtoReader(bytes, _origin + _position - bytes.Length);
    }

    /// <summary>Reads a length-delimited field as strict UTF-8.</summary>
    public string ReadString()
    {
        var start = Offset;
        var bytes = ReadLengthDelimited();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(start, "a string is not valid UTF-8");
        }
    }

    /// <summary>
    /// Reads one element, or every element of a packed run, of a repeated varint field into <paramref name="values"/>.
    /// </summary>
    public void ReadRepeatedVarint(WireType wireType, List<ulong> values)
    {
        if (wireType == WireType.Varint)
        {
            values.Add(ReadVarint());
            return;
        }

        Expect(wireType, WireType.LengthDelimited, "a repeated varint field");
        var packed = ReadMessage();
        while (!packed.IsAtEnd)
        {
            values.Add(packed.ReadVarint());
        }
    }

    /// <summary>
    /// Reads one element, or a packed run, of a repeated fixed-size field and returns its little-endian bytes
    /// (a multiple of <paramref name="size"/>, 4 or 8).
    /// </summary>
    public ReadOnlySpan<byte> ReadRepeatedFixed(WireType wireType, int size)
    {
        var single = size == 4 ? WireType.Fixed32 : WireType.Fixed64;
        if (wireType == single)
        {
            return Take(size);
        }

        Expect(wireType, WireType.LengthDelimited, "a repeated fixed-size field");
        var start = Offset;
        var bytes = ReadLengthDelimited();
        if (bytes.Length % size != 0)
        {
            throw Invalid(start, $"a packed field of {bytes.Length} bytes is not a multiple of {size}");
        }

        return bytes;
    }

    /// <summary>Skips a field's value of the given wire type (groups included, up to <see cref="MaxGroupDepth"/>).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.StartGroup:
                SkipGroup();
                break;
            default:
                throw Invalid(Offset, "an end-group tag has no matching start");
        }
    }

    /// <summary>Throws unless a known field arrived with the wire type its schema gives it.</summary>
    public readonly void Expect(WireType actual, WireType expected, string field)
    {
        if (actual != expected)
        {
            throw Invalid(Offset, $"{field} has wire type {actual}, expected {expected}");
        }
    }

    /// <summary>An exception describing malformed input at an offset of the file.</summary>
    public static InvalidDataException Invalid(long offset, string problem) =>
        new($"Malformed protobuf data at byte {offset}: {problem}.");

    private void SkipGroup()
    {
        // Groups are skipped iteratively, so a hostile nesting cannot exhaust the stack.
        var depth = 1;
        while (depth > 0)
        {
            if (!TryReadTag(out _, out var type))
            {
                throw Invalid(Offset, "a group is not closed before the end of the data");
            }

            switch (type)
            {
                case WireType.StartGroup:
                    if (++depth > MaxGroupDepth)
                    {
                        throw Invalid(Offset, $"groups nest deeper than {MaxGroupDepth} levels");
                    }

                    break;
                case WireType.EndGroup:
                    depth--;
                    break;
                default:
                    Skip(type);
                    break;
            }
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        var left = _buffer.Length - _position;
        if (count > left)
        {
            throw Invalid(Offset, $"{count} bytes are needed but only {left} are left");
        }

        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }
}
