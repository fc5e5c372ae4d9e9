namespace ModelFunctions.Core.Protocol;

/// <summary>Conversions between <see cref="float"/> and the 16-bit pattern of a bfloat16.</summary>
internal static class BFloat16Bits
{
    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Keep a quiet NaN: plain truncation could clear every mantissa bit and make an infinity.
            return (ushort)((bits >> 16) | 0x0040);
        }

        // Round to nearest, ties to even.
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
