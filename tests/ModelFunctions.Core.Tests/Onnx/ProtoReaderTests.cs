using ModelFunctions.Core.Onnx;

namespace ModelFunctions.Core.Tests.Onnx;

public sealed class ProtoReaderTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(300UL)]
    [InlineData(uint.MaxValue)]
    [InlineData(ulong.MaxValue)]
    public void ReadVarint_RoundTripsEncodedValues(ulong value)
    {
        var reader = new ProtoReader(ProtoBytes.Varint(value));

        Assert.Equal(value, reader.ReadVarint());
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void ReadVarint_ElevenBytes_IsRejected()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];

        var ex = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes).ReadVarint());

        Assert.Contains("varint", ex.Message);
    }

    [Fact]
    public void ReadVarint_UnterminatedAtEnd_IsRejected()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new ProtoReader([0x80, 0x80]).ReadVarint());

        Assert.Contains("past the end", ex.Message);
    }

    [Fact]
    public void ReadLengthDelimited_LengthBeyondBuffer_IsRejectedWithOffset()
    {
        byte[] bytes = [.. ProtoBytes.Tag(7, 2), .. ProtoBytes.Varint(1000), 1, 2, 3];
        var reader = new ProtoReader(bytes, origin: 40);
        Assert.True(reader.TryReadTag(out var field, out var wire));
        Assert.Equal(7, field);
        Assert.Equal(WireType.LengthDelimited, wire);

        InvalidDataException? caught = null;
        try
        {
            reader.ReadLengthDelimited();
        }
        catch (InvalidDataException ex)
        {
            caught = ex;
        }

        Assert.NotNull(caught);
        Assert.Contains("at byte 41", caught.Message);
        Assert.Contains("1000 bytes exceeds the 3 bytes left", caught.Message);
    }

    [Fact]
    public void ReadLengthDelimited_HugeLength_DoesNotOverflow()
    {
        byte[] bytes = [.. ProtoBytes.Varint(ulong.MaxValue), 1];

        Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes).ReadLengthDelimited());
    }

    [Fact]
    public void ReadRepeatedVarint_AcceptsPackedAndUnpackedForms()
    {
        byte[] unpacked = [.. ProtoBytes.VarintField(1, 5), .. ProtoBytes.VarintField(1, 300)];
        byte[] packed = ProtoBytes.Message(1, [.. ProtoBytes.Varint(7), .. ProtoBytes.Varint(70000)]);
        var values = new List<ulong>();

        var reader = new ProtoReader([.. unpacked, .. packed]);
        while (reader.TryReadTag(out _, out var wire))
        {
            reader.ReadRepeatedVarint(wire, values);
        }

        Assert.Equal([5UL, 300UL, 7UL, 70000UL], values);
    }

    [Fact]
    public void ReadRepeatedFixed_PackedLengthNotMultipleOfSize_IsRejected()
    {
        var bytes = ProtoBytes.Message(4, [1, 2, 3, 4, 5]);

        var ex = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(bytes);
            reader.TryReadTag(out _, out var wire);
            reader.ReadRepeatedFixed(wire, 4);
        });

        Assert.Contains("not a multiple of 4", ex.Message);
    }

    [Fact]
    public void Skip_UnknownFieldsOfEveryWireType_LandsOnTheNextField()
    {
        byte[] bytes =
        [
            .. ProtoBytes.VarintField(90, 123456),
            .. ProtoBytes.Tag(91, 1), 1, 2, 3, 4, 5, 6, 7, 8,
            .. ProtoBytes.Tag(92, 5), 1, 2, 3, 4,
            .. ProtoBytes.String(93, "skip me"),
            .. ProtoBytes.Tag(94, 3), .. ProtoBytes.VarintField(1, 1), .. ProtoBytes.Tag(95, 3), .. ProtoBytes.Tag(95, 4), .. ProtoBytes.Tag(94, 4),
            .. ProtoBytes.VarintField(2, 42),
        ];
        var reader = new ProtoReader(bytes);
        var seen = new List<int>();
        ulong last = 0;

        while (reader.TryReadTag(out var field, out var wire))
        {
            seen.Add(field);
            if (field == 2)
            {
                last = reader.ReadVarint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        Assert.Equal([90, 91, 92, 93, 94, 2], seen);
        Assert.Equal(42UL, last);
    }

    [Fact]
    public void Skip_DeeplyNestedGroups_IsRejectedWithoutRecursion()
    {
        var bytes = new List<byte>();
        for (var i = 0; i < 100_000; i++)
        {
            bytes.AddRange(ProtoBytes.Tag(3, 3));
        }

        var ex = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(bytes.ToArray());
            reader.TryReadTag(out _, out var wire);
            reader.Skip(wire);
        });

        Assert.Contains("nest deeper", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x0E })]
    [InlineData(new byte[] { 0x0F })]
    public void TryReadTag_FieldZeroOrUnknownWireType_IsRejected(byte[] bytes)
    {
        Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes).TryReadTag(out _, out _));
    }

    [Fact]
    public void ReadString_InvalidUtf8_IsRejected()
    {
        byte[] bytes = [.. ProtoBytes.Varint(2), 0xC3, 0x28];

        var ex = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes).ReadString());

        Assert.Contains("UTF-8", ex.Message);
    }
}
