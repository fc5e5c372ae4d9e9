using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Writes tensor elements as JSON values: numbers in their shortest round-trip form, BOOL as true/false,
/// BYTES as strings, NaN and infinities as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
internal static class TensorJsonWriter
{
    /// <summary>Writer options shared by the protocol writers: UTF-8 text is kept as is, not escaped.</summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes every element as one flat array.</summary>
    public static void WriteFlat(Utf8JsonWriter writer, NamedTensor tensor)
    {
        writer.WriteStartArray();
        var data = tensor.Data.Span;
        switch (tensor.DataType)
        {
            case TensorDataType.Bool:
                foreach (var b in data)
                {
                    writer.WriteBooleanValue(b != 0);
                }

                break;
            case TensorDataType.UInt8:
                foreach (var b in data)
                {
                    writer.WriteNumberValue((uint)b);
                }

                break;
            case TensorDataType.Float32:
                foreach (var v in tensor.AsSpan<float>())
                {
                    WriteSingle(writer, v);
                }

                break;
            case TensorDataType.Float64:
                foreach (var v in tensor.AsSpan<double>())
                {
                    WriteDouble(writer, v);
                }

                break;
            case TensorDataType.Int64:
                foreach (var v in tensor.AsSpan<long>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorDataType.Int32:
                foreach (var v in tensor.AsSpan<int>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            default:
                var count = tensor.ElementCount;
                for (long i = 0; i < count; i++)
                {
                    WriteElement(writer, tensor, i);
                }

                break;
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes <paramref name="dims"/>-shaped nested arrays of the elements from <paramref name="offset"/> on.</summary>
    public static void WriteNested(Utf8JsonWriter writer, NamedTensor tensor, long offset, ReadOnlySpan<long> dims)
    {
        if (dims.IsEmpty)
        {
            WriteElement(writer, tensor, offset);
            return;
        }

        var stride = TensorShapes.ElementCount(dims[1..]);
        writer.WriteStartArray();
        for (long i = 0; i < dims[0]; i++)
        {
            WriteNested(writer, tensor, offset + (i * stride), dims[1..]);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the element at <paramref name="index"/> (row-major).</summary>
    public static void WriteElement(Utf8JsonWriter writer, NamedTensor tensor, long index)
    {
        var data = tensor.Data.Span;
        var at = (int)(index * tensor.DataType.ElementSize());
        switch (tensor.DataType)
        {
            case TensorDataType.Bool:
                writer.WriteBooleanValue(data[at] != 0);
                break;
            case TensorDataType.UInt8:
                writer.WriteNumberValue((uint)data[at]);
                break;
            case TensorDataType.UInt16:
                writer.WriteNumberValue((uint)BinaryPrimitives.ReadUInt16LittleEndian(data[at..]));
                break;
            case TensorDataType.UInt32:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(data[at..]));
                break;
            case TensorDataType.UInt64:
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(data[at..]));
                break;
            case TensorDataType.Int8:
                writer.WriteNumberValue((int)(sbyte)data[at]);
                break;
            case TensorDataType.Int16:
                writer.WriteNumberValue((int)BinaryPrimitives.ReadInt16LittleEndian(data[at..]));
                break;
            case TensorDataType.Int32:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(data[at..]));
                break;
            case TensorDataType.Int64:
                writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(data[at..]));
                break;
            case TensorDataType.Float16:
                WriteHalf(writer, BinaryPrimitives.ReadHalfLittleEndian(data[at..]));
                break;
            case TensorDataType.Float32:
                WriteSingle(writer, BinaryPrimitives.ReadSingleLittleEndian(data[at..]));
                break;
            case TensorDataType.Float64:
                WriteDouble(writer, BinaryPrimitives.ReadDoubleLittleEndian(data[at..]));
                break;
            case TensorDataType.BFloat16:
                WriteSingle(writer, BFloat16Bits.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[at..])));
                break;
            case TensorDataType.Bytes:
                WriteString(writer, tensor.Strings![(int)index].Span);
                break;
            default:
                throw new InvalidOperationException($"Datatype {tensor.DataType} has no JSON form.");
        }
    }

    private static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            WriteNonFinite(writer, value);
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            WriteNonFinite(writer, value);
        }
    }

    private static void WriteHalf(Utf8JsonWriter writer, Half value)
    {
        if (!Half.IsFinite(value))
        {
            WriteNonFinite(writer, (double)value);
            return;
        }

        // Half's own shortest round-trip text: 0.1 stays "0.1" rather than the widened float's digits.
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }

    private static void WriteNonFinite(Utf8JsonWriter writer, double value) =>
        writer.WriteStringValue(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);

    private static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            writer.WriteStringValue(utf8);
        }
        else
        {
            // JSON text must be Unicode: invalid sequences become U+FFFD (binary outputs keep the exact bytes).
            writer.WriteStringValue(Encoding.UTF8.GetString(utf8));
        }
    }
}
