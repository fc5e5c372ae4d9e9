using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Reads Open Inference Protocol (V2) inference requests, JSON or with the binary tensor data extension,
/// straight into tensor buffers.
/// </summary>
public static class V2RequestReader
{
    /// <summary>
    /// Decodes a request body. With <paramref name="jsonHeaderLength"/> (the <c>Inference-Header-Content-Length</c>
    /// header), the JSON is the first that many bytes and the rest is binary tensor data, taken in input order by the
    /// inputs that carry a <c>binary_data_size</c> parameter.
    /// </summary>
    /// <exception cref="ProtocolException">The body is malformed or breaks a limit; the message names the input or field.</exception>
    public static InferenceRequest Read(ReadOnlySpan<byte> body, int? jsonHeaderLength, ProtocolLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (body.Length > limits.MaxBodyBytes)
        {
            throw new ProtocolException(413, $"The request body of {body.Length} bytes is larger than the limit of {limits.MaxBodyBytes} bytes.");
        }

        var json = body;
        var tail = ReadOnlySpan<byte>.Empty;
        if (jsonHeaderLength is { } headerLength)
        {
            if (headerLength < 0 || headerLength > body.Length)
            {
                throw ProtocolException.BadRequest($"The {ProtocolNames.HeaderLengthHeader} header ({headerLength}) must be between 0 and the body length ({body.Length}).");
            }

            json = body[..headerLength];
            tail = body[headerLength..];
        }

        try
        {
            var state = new ReadState(tail, jsonHeaderLength is not null, body.Length, limits);
            var reader = new Utf8JsonReader(json, ProtocolJson.ReaderOptions(limits));
            return ReadRequest(ref reader, json, ref state);
        }
        catch (JsonException ex)
        {
            throw ProtocolException.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports text it cannot transcode (invalid UTF-8 in a name or string) this way.
            throw ProtocolException.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }
    }

    private static InferenceRequest ReadRequest(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref ReadState state)
    {
        ProtocolJson.Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ProtocolException.BadRequest("The request body must be a JSON object.");
        }

        string? id = null;
        Dictionary<string, JsonElement>? parameters = null;
        List<NamedTensor>? inputs = null;
        List<RequestedOutput>? outputs = null;
        Dictionary<string, IReadOnlyDictionary<string, JsonElement>>? inputParameters = null;
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("id"u8))
            {
                ProtocolJson.Next(ref reader);
                id = ProtocolJson.ReadString(ref reader, "id", "the request");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                ProtocolJson.Next(ref reader);
                parameters = ProtocolJson.ReadParameters(ref reader, "the request");
                RequireBoolean(parameters, ProtocolNames.BinaryDataOutput, "the request");
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                ProtocolJson.Next(ref reader);
                inputs = ReadInputs(ref reader, json, ref state, ref inputParameters);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                ProtocolJson.Next(ref reader);
                outputs = ReadOutputs(ref reader);
            }
            else
            {
                // Unknown fields (such as "model_name" sent by some clients) are ignored.
                ProtocolJson.Next(ref reader);
                reader.Skip();
            }
        }

        // Nothing may follow the object; the reader throws on trailing content.
        if (reader.Read())
        {
            throw ProtocolException.BadRequest("The request body has content after its JSON object.");
        }

        if (inputs is null)
        {
            throw ProtocolException.BadRequest("The request has no 'inputs' field.");
        }

        if (state.TailOffset != state.Tail.Length)
        {
            throw ProtocolException.BadRequest($"The request carries {state.Tail.Length} bytes of binary data, but its inputs' binary_data_size parameters add up to {state.TailOffset}.");
        }

        return new InferenceRequest(id, parameters, inputs, outputs) { InputParameters = inputParameters };
    }

    private static List<NamedTensor> ReadInputs(
        ref Utf8JsonReader reader,
        ReadOnlySpan<byte> json,
        ref ReadState state,
        ref Dictionary<string, IReadOnlyDictionary<string, JsonElement>>? inputParameters)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest("'inputs' must be a JSON array of input objects.");
        }

        var inputs = new List<NamedTensor>();
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return inputs;
            }

            if (inputs.Count == state.Limits.MaxInputs)
            {
                throw ProtocolException.BadRequest($"The request has more than {state.Limits.MaxInputs} inputs.");
            }

            var input = ReadInput(ref reader, json, ref state, inputs.Count, out var parameters);
            foreach (var previous in inputs)
            {
                if (previous.Name == input.Name)
                {
                    throw ProtocolException.Input(input.Name, "is given more than once.");
                }
            }

            if (parameters is not null)
            {
                inputParameters ??= new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>(StringComparer.Ordinal);
                inputParameters[input.Name] = parameters;
            }

            inputs.Add(input);
        }
    }

    private static NamedTensor ReadInput(
        ref Utf8JsonReader reader,
        ReadOnlySpan<byte> json,
        ref ReadState state,
        int index,
        out Dictionary<string, JsonElement>? parameters)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ProtocolException.BadRequest($"Input {index} must be a JSON object.");
        }

        string? name = null;
        long[]? shape = null;
        TensorDataType? type = null;
        NamedTensor? tensor = null;
        long count = 0;
        var dataStart = -1;
        var dataLength = 0;
        parameters = null;
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("name"u8))
            {
                ProtocolJson.Next(ref reader);
                name = ProtocolJson.ReadString(ref reader, "name", $"input {index}");
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                ProtocolJson.Next(ref reader);
                shape = ProtocolJson.ReadShape(ref reader, name ?? $"#{index}", state.Limits.MaxNestingDepth);
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                ProtocolJson.Next(ref reader);
                type = ReadDataType(ref reader, name ?? $"#{index}");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                ProtocolJson.Next(ref reader);
                parameters = ProtocolJson.ReadParameters(ref reader, $"input '{name ?? $"#{index}"}'");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                ProtocolJson.Next(ref reader);
                if (name is not null && shape is not null && type is not null && dataStart < 0 && tensor is null)
                {
                    // The usual field order: decode in place, in one pass.
                    count = CheckInput(name, shape, type.Value, ref state);
                    tensor = TensorDataReader.Read(ref reader, name, type.Value, shape, count, state.Limits);
                }
                else
                {
                    // Shape or datatype not known yet: remember where the data is and decode it at the end of the object.
                    dataStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    dataLength = (int)reader.BytesConsumed - dataStart;
                }
            }
            else
            {
                ProtocolJson.Next(ref reader);
                reader.Skip();
            }
        }

        if (name is null)
        {
            throw ProtocolException.BadRequest($"Input {index} has no 'name'.");
        }

        if (shape is null)
        {
            throw ProtocolException.Input(name, "has no 'shape'.");
        }

        if (type is null)
        {
            throw ProtocolException.Input(name, "has no 'datatype'.");
        }

        var binarySize = ReadBinarySize(parameters, name);
        var hasData = tensor is not null || dataStart >= 0;
        if (binarySize is not null && hasData)
        {
            throw ProtocolException.Input(name, $"has both 'data' and a {ProtocolNames.BinaryDataSize} parameter; send one or the other.");
        }

        if (tensor is not null)
        {
            return tensor;
        }

        count = CheckInput(name, shape, type.Value, ref state);
        if (dataStart >= 0)
        {
            var dataReader = new Utf8JsonReader(json.Slice(dataStart, dataLength), ProtocolJson.ReaderOptions(state.Limits));
            ProtocolJson.Next(ref dataReader);
            return TensorDataReader.Read(ref dataReader, name, type.Value, shape, count, state.Limits);
        }

        if (binarySize is null)
        {
            throw ProtocolException.Input(name, $"has no 'data' and no {ProtocolNames.BinaryDataSize} parameter.");
        }

        return ReadBinary(name, type.Value, shape, count, binarySize.Value, ref state);
    }

    private static NamedTensor ReadBinary(string name, TensorDataType type, long[] shape, long count, long size, ref ReadState state)
    {
        if (!state.HasBinary)
        {
            throw ProtocolException.Input(name, $"has a {ProtocolNames.BinaryDataSize} parameter, but the request has no binary data (no {ProtocolNames.HeaderLengthHeader} header).");
        }

        var remaining = state.Tail.Length - state.TailOffset;
        if (size > remaining)
        {
            throw ProtocolException.Input(name, $"has {ProtocolNames.BinaryDataSize} {size}, but only {remaining} bytes of binary data remain for it.");
        }

        var slice = state.Tail.Slice(state.TailOffset, (int)size);
        state.TailOffset += (int)size;
        return BinaryTensorReader.Read(slice, name, type, shape, count, state.Limits);
    }

    private static long CheckInput(string name, long[] shape, TensorDataType type, ref ReadState state)
    {
        var count = ProtocolJson.CheckedElementCount(shape, name, state.Limits);

        // Every element takes at least one byte of the body, which bounds buffers before they are allocated.
        if (count > state.BodyLength)
        {
            throw ProtocolException.Input(name, $"has shape {TensorShapes.Format(shape)} of {count} elements, more than the {state.BodyLength}-byte body can hold.");
        }

        if (type != TensorDataType.Bytes && count * type.ElementSize() > Array.MaxLength)
        {
            throw ProtocolException.Input(name, $"has shape {TensorShapes.Format(shape)}, too large for one buffer.");
        }

        return count;
    }

    private static TensorDataType ReadDataType(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw ProtocolException.Input(name, "has a 'datatype' that is not a string.");
        }

        var text = reader.GetString()!;
        if (!TensorDataTypes.TryParseProtocolName(text, out var type))
        {
            throw ProtocolException.Input(name, $"has unknown datatype '{(text.Length > 20 ? text[..20] + "..." : text)}' (expected BOOL, UINT8..UINT64, INT8..INT64, FP16, FP32, FP64, BF16 or BYTES).");
        }

        return type;
    }

    private static long? ReadBinarySize(Dictionary<string, JsonElement>? parameters, string name)
    {
        if (parameters is null || !parameters.TryGetValue(ProtocolNames.BinaryDataSize, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var size) || size < 0)
        {
            throw ProtocolException.Input(name, $"has a {ProtocolNames.BinaryDataSize} parameter that is not a non-negative integer.");
        }

        return size;
    }

    private static List<RequestedOutput> ReadOutputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest("'outputs' must be a JSON array of output objects.");
        }

        var outputs = new List<RequestedOutput>();
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return outputs;
            }

            var output = ReadOutput(ref reader, outputs.Count);
            foreach (var previous in outputs)
            {
                if (previous.Name == output.Name)
                {
                    throw new ProtocolException(400, $"Output '{output.Name}' is requested more than once.", output.Name);
                }
            }

            outputs.Add(output);
        }
    }

    private static RequestedOutput ReadOutput(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ProtocolException.BadRequest($"Output {index} must be a JSON object.");
        }

        string? name = null;
        Dictionary<string, JsonElement>? parameters = null;
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("name"u8))
            {
                ProtocolJson.Next(ref reader);
                name = ProtocolJson.ReadString(ref reader, "name", $"output {index}");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                ProtocolJson.Next(ref reader);
                parameters = ProtocolJson.ReadParameters(ref reader, $"output {index}");
            }
            else
            {
                ProtocolJson.Next(ref reader);
                reader.Skip();
            }
        }

        if (name is null)
        {
            throw ProtocolException.BadRequest($"Output {index} has no 'name'.");
        }

        var binary = RequireBoolean(parameters, ProtocolNames.BinaryData, $"output '{name}'");
        return new RequestedOutput(name, binary, parameters);
    }

    private static bool? RequireBoolean(Dictionary<string, JsonElement>? parameters, string key, string owner)
    {
        if (parameters is null || !parameters.TryGetValue(key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ProtocolException.BadRequest($"Parameter '{key}' of {owner} must be true or false."),
        };
    }

    private ref struct ReadState(ReadOnlySpan<byte> tail, bool hasBinary, int bodyLength, ProtocolLimits limits)
    {
        public readonly ReadOnlySpan<byte> Tail = tail;
        public readonly bool HasBinary = hasBinary;
        public readonly int BodyLength = bodyLength;
        public readonly ProtocolLimits Limits = limits;
        public int TailOffset;
    }
}
