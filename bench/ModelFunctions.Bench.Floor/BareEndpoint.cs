using System.Buffers;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelFunctions.Bench.Floor;

/// <summary>
/// POST /infer with the least work that still speaks V2 JSON: read the body, take the first input's shape and
/// numbers (flat or nested), run, write the outputs. No validation, no routing, no metrics: the bare floor.
/// </summary>
internal static class BareEndpoint
{
    public static async Task HandleAsync(HttpContext context, FloorSession session)
    {
        var length = (int)(context.Request.ContentLength ?? 64 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1024));
        try
        {
            var read = 0;
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
            {
                read += n;
                if (read == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            var (shape, data) = Parse(buffer.AsSpan(0, read));
            using var outputs = session.Run(data, shape);
            context.Response.ContentType = "application/json";
            var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            await using (writer.ConfigureAwait(false))
            {
                Write(writer, session.OutputNames, outputs);
            }

            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (long[] Shape, float[] Data) Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var shape = new List<long>(4);
        float[] data = [];
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    shape.Add(reader.GetInt64());
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                var count = 1L;
                foreach (var dim in shape)
                {
                    count *= dim;
                }

                data = new float[count];
                var index = 0;
                var depth = 0;
                do
                {
                    reader.Read();
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartArray:
                            depth++;
                            break;
                        case JsonTokenType.EndArray:
                            depth--;
                            break;
                        case JsonTokenType.Number:
                            data[index++] = reader.GetSingle();
                            break;
                    }
                }
                while (depth > 0);
                break;
            }
        }

        return ([.. shape], data);
    }

    private static void Write(Utf8JsonWriter writer, IReadOnlyList<string> names, IReadOnlyList<OrtValue> outputs)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, "floor"u8);
        writer.WriteStartArray("outputs"u8);
        for (var i = 0; i < outputs.Count; i++)
        {
            var info = outputs[i].GetTensorTypeAndShape();
            writer.WriteStartObject();
            var isInt64 = info.ElementDataType == TensorElementType.Int64;
            writer.WriteString("name"u8, names[i]);
            writer.WriteString("datatype"u8, isInt64 ? "INT64"u8 : "FP32"u8);
            writer.WriteStartArray("shape"u8);
            foreach (var dim in info.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data"u8);
            if (isInt64)
            {
                foreach (var value in outputs[i].GetTensorDataAsSpan<long>())
                {
                    writer.WriteNumberValue(value);
                }
            }
            else
            {
                foreach (var value in outputs[i].GetTensorDataAsSpan<float>())
                {
                    writer.WriteNumberValue(value);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
