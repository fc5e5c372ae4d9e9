using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Writes Open Inference Protocol (V2) inference responses: JSON, followed by raw tensor data for the outputs
/// returned as binary (the binary tensor data extension).
/// </summary>
public static class V2ResponseWriter
{
    /// <summary>
    /// Writes the response to <paramref name="output"/>. An output is binary when the request asks for it
    /// (see <see cref="InferenceRequest.IsBinaryOutput"/>); its bytes then follow the JSON in output order.
    /// </summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="response">The response to write.</param>
    /// <param name="request">The request answered, which says which outputs are binary; null writes everything as JSON.</param>
    /// <returns>The length of the JSON part when any output is binary (for the
    /// <c>Inference-Header-Content-Length</c> header), else null.</returns>
    public static int? Write(IBufferWriter<byte> output, InferenceResponse response, InferenceRequest? request)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(response);

        var binary = new bool[response.Outputs.Count];
        var anyBinary = false;
        for (var i = 0; i < binary.Length; i++)
        {
            binary[i] = request is not null && request.IsBinaryOutput(response.Outputs[i].Name);
            anyBinary |= binary[i];
        }

        long jsonLength;
        using (var writer = new Utf8JsonWriter(output, TensorJsonWriter.Options))
        {
            WriteJson(writer, response, binary);
            writer.Flush();
            jsonLength = writer.BytesCommitted;
        }

        if (!anyBinary)
        {
            return null;
        }

        for (var i = 0; i < binary.Length; i++)
        {
            if (binary[i])
            {
                WriteBinary(output, response.Outputs[i]);
            }
        }

        return checked((int)jsonLength);
    }

    /// <summary>Size in bytes of a tensor's binary form: raw elements, or for BYTES a 4-byte length before each.</summary>
    public static long BinarySize(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType != TensorDataType.Bytes)
        {
            return tensor.Data.Length;
        }

        long size = 0;
        foreach (var element in tensor.Strings ?? [])
        {
            size += 4 + element.Length;
        }

        return size;
    }

    private static void WriteJson(Utf8JsonWriter writer, InferenceResponse response, bool[] binary)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, response.ModelName);
        if (response.ModelVersion is not null)
        {
            writer.WriteString("model_version"u8, response.ModelVersion);
        }

        if (response.Id is not null)
        {
            writer.WriteString("id"u8, response.Id);
        }

        if (response.Parameters is { Count: > 0 })
        {
            writer.WritePropertyName("parameters"u8);
            WriteParameters(writer, response.Parameters);
        }

        writer.WritePropertyName("outputs"u8);
        writer.WriteStartArray();
        for (var i = 0; i < response.Outputs.Count; i++)
        {
            var tensor = response.Outputs[i];
            writer.WriteStartObject();
            writer.WriteString("name"u8, tensor.Name);
            writer.WriteString("datatype"u8, tensor.DataType.ToProtocolName());
            writer.WritePropertyName("shape"u8);
            writer.WriteStartArray();
            foreach (var dim in tensor.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            if (binary[i])
            {
                writer.WritePropertyName("parameters"u8);
                writer.WriteStartObject();
                writer.WriteNumber("binary_data_size"u8, BinarySize(tensor));
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data"u8);
                TensorJsonWriter.WriteFlat(writer, tensor);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteParameters(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> parameters)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in parameters)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteBinary(IBufferWriter<byte> output, NamedTensor tensor)
    {
        if (tensor.DataType != TensorDataType.Bytes)
        {
            output.Write(tensor.Data.Span);
            return;
        }

        Span<byte> length = stackalloc byte[4];
        foreach (var element in tensor.Strings ?? [])
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, element.Length);
            output.Write(length);
            output.Write(element.Span);
        }
    }
}
