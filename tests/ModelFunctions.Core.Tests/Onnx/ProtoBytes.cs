namespace ModelFunctions.Core.Tests.Onnx;

/// <summary>Builds protobuf wire-format bytes by hand, for inputs no ONNX writer would produce.</summary>
internal static class ProtoBytes
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    public static byte[] Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    public static byte[] VarintField(int field, ulong value) => [.. Tag(field, 0), .. Varint(value)];

    public static byte[] Message(int field, byte[] body) => [.. Tag(field, 2), .. Varint((ulong)body.Length), .. body];

    public static byte[] String(int field, string value) => Message(field, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>A minimal valid ModelProto around a serialized GraphProto: ir_version 8, opset 17.</summary>
    public static byte[] Model(byte[] graph) =>
        [.. VarintField(1, 8), .. Message(7, graph), .. Message(8, [.. String(1, ""), .. VarintField(2, 17)])];
}
