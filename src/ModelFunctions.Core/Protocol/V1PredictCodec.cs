using System.Buffers;
using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// The V1 <c>POST /v1/models/{model}:predict</c> body forms (TF Serving, KServe V1): <c>{"instances": [...]}</c>
/// rows or <c>{"inputs": ...}</c> columns in, <c>{"predictions": [...]}</c> or <c>{"outputs": ...}</c> out.
/// Datatypes come from the model's signature and shapes from the data's nesting.
/// </summary>
/// <remarks>
/// Row form: for a single-input model each instance is a row of that input (or an object keyed by its name); for
/// several inputs each instance is an object keyed by input name. An input whose declared first dimension is
/// dynamic gets one row per instance (the batch dimension); an input with a fixed first dimension is not batched,
/// and every instance must give it the same value.
/// </remarks>
public static class V1PredictCodec
{
    /// <summary>Decodes a <c>:predict</c> body against the model's signature.</summary>
    /// <exception cref="ProtocolException">The body is malformed or does not fit the signature (400), or is too large (413).</exception>
    public static V1PredictRequest ReadRequest(ReadOnlySpan<byte> body, ModelSignature signature, ProtocolLimits limits)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(limits);
        if (body.Length > limits.MaxBodyBytes)
        {
            throw new ProtocolException(413, $"The request body of {body.Length} bytes is larger than the limit of {limits.MaxBodyBytes} bytes.");
        }

        try
        {
            return ReadCore(body, signature, limits);
        }
        catch (JsonException ex)
        {
            throw ProtocolException.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            throw ProtocolException.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// Writes the answer to <paramref name="request"/>: <c>{"predictions": [...]}</c> with one entry per instance
    /// (the row itself for a single output, else an object keyed by output name), or <c>{"outputs": ...}</c> for the
    /// columnar form. An output whose first dimension is not the batch size is repeated whole in every row.
    /// </summary>
    public static void WriteResponse(IBufferWriter<byte> output, V1PredictRequest request, IReadOnlyList<NamedTensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outputs);

        using var writer = new Utf8JsonWriter(output, TensorJsonWriter.Options);
        writer.WriteStartObject();
        if (request.IsColumnar)
        {
            writer.WritePropertyName("outputs"u8);
            WriteColumns(writer, outputs);
        }
        else
        {
            writer.WritePropertyName("predictions"u8);
            WriteRows(writer, outputs, request.Instances);
        }

        writer.WriteEndObject();
    }

    private static V1PredictRequest ReadCore(ReadOnlySpan<byte> body, ModelSignature signature, ProtocolLimits limits)
    {
        var reader = new Utf8JsonReader(body, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ProtocolException.BadRequest("The request body must be a JSON object with 'instances' or 'inputs'.");
        }

        (int Start, int Length)? instances = null;
        (int Start, int Length)? columns = null;
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var isInstances = reader.ValueTextEquals("instances"u8);
            var isInputs = reader.ValueTextEquals("inputs"u8);
            ProtocolJson.Next(ref reader);
            var slice = SkipValue(ref reader);
            if (isInstances)
            {
                instances = slice;
            }
            else if (isInputs)
            {
                columns = slice;
            }
        }

        if (reader.Read())
        {
            throw ProtocolException.BadRequest("The request body has content after its JSON object.");
        }

        if (instances is not null && columns is not null)
        {
            throw ProtocolException.BadRequest("The request has both 'instances' and 'inputs'; send one of them.");
        }

        if (instances is { } rows)
        {
            return ReadInstances(body.Slice(rows.Start, rows.Length), body.Length, signature, limits);
        }

        if (columns is { } cols)
        {
            return ReadColumns(body.Slice(cols.Start, cols.Length), body.Length, signature, limits);
        }

        throw ProtocolException.BadRequest("The request has neither 'instances' nor 'inputs'.");
    }

    private static V1PredictRequest ReadInstances(ReadOnlySpan<byte> json, int bodyLength, ModelSignature signature, ProtocolLimits limits)
    {
        var reader = new Utf8JsonReader(json, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest("'instances' must be a JSON array.");
        }

        ProtocolJson.Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            throw ProtocolException.BadRequest("'instances' is empty.");
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return ReadObjectRows(json, signature, limits);
        }

        if (signature.Inputs.Count != 1)
        {
            throw ProtocolException.BadRequest($"The model has {signature.Inputs.Count} inputs, so each instance must be an object keyed by input name.");
        }

        // One input: the instances array is that input's tensor, one row per instance.
        var tensor = ReadTensor(json, bodyLength, signature.Inputs[0], limits);
        var count = tensor.Shape.Length == 0 ? 1 : tensor.Shape[0];
        return new V1PredictRequest([tensor], false, (int)count);
    }

    private static V1PredictRequest ReadObjectRows(ReadOnlySpan<byte> json, ModelSignature signature, ProtocolLimits limits)
    {
        var specs = signature.Inputs;
        var slices = new List<(int Start, int Length)>[specs.Count];
        for (var i = 0; i < slices.Length; i++)
        {
            slices[i] = [];
        }

        var reader = new Utf8JsonReader(json, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        var instance = 0;
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw ProtocolException.BadRequest($"Instance {instance} is not an object keyed by input name, as the first instance is.");
            }

            while (true)
            {
                ProtocolJson.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var name = reader.GetString()!;
                var index = IndexOf(specs, name);
                if (index < 0)
                {
                    throw ProtocolException.Input(name, $"in instance {instance} is not an input of the model; its inputs are {Names(specs)}.");
                }

                if (slices[index].Count > instance)
                {
                    throw ProtocolException.Input(name, $"is given more than once in instance {instance}.");
                }

                ProtocolJson.Next(ref reader);
                slices[index].Add(SkipValue(ref reader));
            }

            for (var i = 0; i < specs.Count; i++)
            {
                if (slices[i].Count != instance + 1)
                {
                    throw ProtocolException.Input(specs[i].Name, $"is missing from instance {instance}.");
                }
            }

            instance++;
        }

        var inputs = new NamedTensor[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            inputs[i] = StackRows(json, specs[i], slices[i], limits);
        }

        return new V1PredictRequest(inputs, false, instance);
    }

    private static NamedTensor StackRows(ReadOnlySpan<byte> json, TensorSpec spec, List<(int Start, int Length)> rows, ProtocolLimits limits)
    {
        var type = RequireSupported(spec);
        var first = json.Slice(rows[0].Start, rows[0].Length);
        if (spec.Shape.Length == 0 || spec.Shape[0] >= 0)
        {
            // Not batched: the instances all carry the whole tensor, and must agree.
            var whole = ReadTensor(first, json.Length, spec, limits);
            for (var r = 1; r < rows.Count; r++)
            {
                var other = ReadTensor(json.Slice(rows[r].Start, rows[r].Length), json.Length, spec, limits);
                if (!SameValues(whole, other))
                {
                    throw ProtocolException.Input(spec.Name, $"has a fixed shape {TensorShapes.Format(spec.Shape)} (not batched), so every instance must give it the same value; instance {r} differs from instance 0.");
                }
            }

            return whole;
        }

        var reader = new Utf8JsonReader(first, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        var rowShape = ShapeInference.Infer(ref reader, spec.Name, limits.MaxNestingDepth);
        var shape = new long[rowShape.Length + 1];
        shape[0] = rows.Count;
        rowShape.CopyTo(shape, 1);
        CheckShape(spec, shape);
        var count = ProtocolJson.CheckedElementCount(shape, spec.Name, limits);
        var rowCount = ProtocolJson.CheckedElementCount(rowShape, spec.Name, limits);
        if (count > json.Length)
        {
            throw ProtocolException.Input(spec.Name, $"has rows of shape {TensorShapes.Format(rowShape)}, more elements than the body can hold.");
        }

        var buffer = new TensorBuffer(spec.Name, type, count, limits);
        foreach (var (start, length) in rows)
        {
            var rowReader = new Utf8JsonReader(json.Slice(start, length), ProtocolJson.ReaderOptions(limits));
            ProtocolJson.Next(ref rowReader);
            TensorDataReader.ReadInto(ref rowReader, spec.Name, rowShape, rowCount, buffer, limits.MaxNestingDepth);
        }

        return buffer.ToTensor(shape);
    }

    private static V1PredictRequest ReadColumns(ReadOnlySpan<byte> json, int bodyLength, ModelSignature signature, ProtocolLimits limits)
    {
        var specs = signature.Inputs;
        var reader = new Utf8JsonReader(json, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            if (specs.Count != 1)
            {
                throw ProtocolException.BadRequest($"The model has {specs.Count} inputs, so 'inputs' must be an object keyed by input name.");
            }

            var single = ReadTensor(json, bodyLength, specs[0], limits);
            return new V1PredictRequest([single], true, single.Shape.Length == 0 ? 1 : (int)single.Shape[0]);
        }

        var inputs = new NamedTensor?[specs.Count];
        while (true)
        {
            ProtocolJson.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString()!;
            var index = IndexOf(specs, name);
            if (index < 0)
            {
                throw ProtocolException.Input(name, $"is not an input of the model; its inputs are {Names(specs)}.");
            }

            if (inputs[index] is not null)
            {
                throw ProtocolException.Input(name, "is given more than once.");
            }

            ProtocolJson.Next(ref reader);
            var (start, length) = SkipValue(ref reader);
            inputs[index] = ReadTensor(json.Slice(start, length), bodyLength, specs[index], limits);
        }

        var result = new NamedTensor[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            result[i] = inputs[i] ?? throw ProtocolException.Input(specs[i].Name, "is missing from 'inputs'.");
        }

        var batch = result.Length > 0 && result[0].Shape.Length > 0 ? (int)result[0].Shape[0] : 1;
        return new V1PredictRequest(result, true, batch);
    }

    private static NamedTensor ReadTensor(ReadOnlySpan<byte> json, int bodyLength, TensorSpec spec, ProtocolLimits limits)
    {
        var type = RequireSupported(spec);
        var reader = new Utf8JsonReader(json, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        var shape = ShapeInference.Infer(ref reader, spec.Name, limits.MaxNestingDepth);
        CheckShape(spec, shape);
        var count = ProtocolJson.CheckedElementCount(shape, spec.Name, limits);
        if (count > bodyLength)
        {
            throw ProtocolException.Input(spec.Name, $"has data of shape {TensorShapes.Format(shape)}, more elements than the body can hold.");
        }

        reader = new Utf8JsonReader(json, ProtocolJson.ReaderOptions(limits));
        ProtocolJson.Next(ref reader);
        return TensorDataReader.Read(ref reader, spec.Name, type, shape, count, limits);
    }

    private static TensorDataType RequireSupported(TensorSpec spec) =>
        spec.IsSupported
            ? spec.DataType!.Value
            : throw ProtocolException.Input(spec.Name, $"cannot be served: {spec.UnsupportedReason ?? "its type has no protocol datatype"}.");

    private static void CheckShape(TensorSpec spec, long[] shape)
    {
        if (!TensorShapes.Fits(shape, spec.Shape))
        {
            throw ProtocolException.Input(spec.Name, $"has data of shape {TensorShapes.Format(shape)}, but the model expects {TensorShapes.Format(spec.Shape)} (-1 is any size).");
        }
    }

    private static (int Start, int Length) SkipValue(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return (start, (int)reader.BytesConsumed - start);
    }

    private static bool SameValues(NamedTensor a, NamedTensor b)
    {
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape) || !a.Data.Span.SequenceEqual(b.Data.Span))
        {
            return false;
        }

        var aStrings = a.Strings ?? [];
        var bStrings = b.Strings ?? [];
        if (aStrings.Count != bStrings.Count)
        {
            return false;
        }

        for (var i = 0; i < aStrings.Count; i++)
        {
            if (!aStrings[i].Span.SequenceEqual(bStrings[i].Span))
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOf(IReadOnlyList<TensorSpec> specs, string name)
    {
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Names(IReadOnlyList<TensorSpec> specs) =>
        string.Join(", ", specs.Select(s => $"'{s.Name}'"));

    private static void WriteRows(Utf8JsonWriter writer, IReadOnlyList<NamedTensor> outputs, int instances)
    {
        writer.WriteStartArray();
        for (var row = 0; row < instances; row++)
        {
            if (outputs.Count == 1)
            {
                WriteRow(writer, outputs[0], row, instances);
                continue;
            }

            writer.WriteStartObject();
            foreach (var tensor in outputs)
            {
                writer.WritePropertyName(tensor.Name);
                WriteRow(writer, tensor, row, instances);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRow(Utf8JsonWriter writer, NamedTensor tensor, int row, int instances)
    {
        if (tensor.Shape.Length > 0 && tensor.Shape[0] == instances)
        {
            var rowDims = tensor.Shape.AsSpan(1);
            TensorJsonWriter.WriteNested(writer, tensor, row * TensorShapes.ElementCount(rowDims), rowDims);
        }
        else
        {
            TensorJsonWriter.WriteNested(writer, tensor, 0, tensor.Shape);
        }
    }

    private static void WriteColumns(Utf8JsonWriter writer, IReadOnlyList<NamedTensor> outputs)
    {
        if (outputs.Count == 1)
        {
            TensorJsonWriter.WriteNested(writer, outputs[0], 0, outputs[0].Shape);
            return;
        }

        writer.WriteStartObject();
        foreach (var tensor in outputs)
        {
            writer.WritePropertyName(tensor.Name);
            TensorJsonWriter.WriteNested(writer, tensor, 0, tensor.Shape);
        }

        writer.WriteEndObject();
    }
}
