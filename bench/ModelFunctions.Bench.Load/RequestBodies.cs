using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ModelFunctions.Bench.Load;

/// <summary>Builds FP32 inputs of <c>[rows, features]</c> as V2 JSON bodies or Triton binary bodies.</summary>
internal static class RequestBodies
{
    /// <summary>The <see cref="LoadOptions.Variants"/> bodies, each from <see cref="InputValues"/>: the same set on every run.</summary>
    public static RequestBody[] CreateAll(LoadOptions options) =>
        Enumerable.Range(0, options.Variants).Select(i => Create(options, variant: i)).ToArray();

    public static RequestBody Create(LoadOptions options, int variant)
    {
        var data = InputValues.Create(options.Rows * options.Features, variant);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            writer.WriteStartObject();
            writer.WriteString("name", options.InputName);
            writer.WriteString("datatype", "FP32");
            writer.WriteStartArray("shape");
            writer.WriteNumberValue(options.Rows);
            writer.WriteNumberValue(options.Features);
            writer.WriteEndArray();
            if (options.Body == BodyKind.Binary)
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", data.Length * sizeof(float));
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteStartObject("parameters");
                writer.WriteBoolean("binary_data_output", true);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray("data");
                foreach (var value in data)
                {
                    writer.WriteRawValue(value.ToString("0.##", CultureInfo.InvariantCulture));
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (options.Body == BodyKind.Json)
        {
            return new RequestBody(stream.ToArray(), null);
        }

        var headerLength = (int)stream.Length;
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The binary tail is written in machine order, which must be little-endian.");
        }

        stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
        return new RequestBody(stream.ToArray(), headerLength);
    }
}
