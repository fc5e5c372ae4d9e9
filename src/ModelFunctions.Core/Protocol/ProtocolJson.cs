using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>Small JSON reading helpers shared by the request readers.</summary>
internal static class ProtocolJson
{
    /// <summary>Reader options: data nesting plus the few levels of the request's own structure.</summary>
    public static JsonReaderOptions ReaderOptions(ProtocolLimits limits) => new()
    {
        MaxDepth = limits.MaxNestingDepth + 8,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Moves to the next token; the input ends too early when there is none.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw ProtocolException.BadRequest("The request body ends before its JSON is complete.");
        }
    }

    /// <summary>Reads a <c>parameters</c> object (the reader is on its value) into cloned elements.</summary>
    public static Dictionary<string, JsonElement> ReadParameters(ref Utf8JsonReader reader, string owner)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ProtocolException.BadRequest($"'parameters' of {owner} must be a JSON object.");
        }

        var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return parameters;
            }

            var key = reader.GetString()!;
            Next(ref reader);
            parameters[key] = JsonElement.ParseValue(ref reader);
        }
    }

    /// <summary>Reads a JSON string value, or fails naming the field.</summary>
    public static string ReadString(ref Utf8JsonReader reader, string field, string owner)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw ProtocolException.BadRequest($"'{field}' of {owner} must be a JSON string.");
        }

        return reader.GetString()!;
    }

    /// <summary>Reads a <c>shape</c> array of non-negative integers.</summary>
    public static long[] ReadShape(ref Utf8JsonReader reader, string name, int maxRank)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.Input(name, "has a 'shape' that is not an array of integers.");
        }

        var dims = new List<long>(4);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return [.. dims];
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim))
            {
                throw ProtocolException.Input(name, "has a 'shape' that is not an array of integers.");
            }

            if (dim < 0)
            {
                throw ProtocolException.Input(name, $"has a negative dimension {dim} in its shape.");
            }

            if (dims.Count == maxRank)
            {
                throw ProtocolException.Input(name, $"has a shape of more than {maxRank} dimensions.");
            }

            dims.Add(dim);
        }
    }

    /// <summary>Elements of a shape, refused when above the limit (overflow-safe).</summary>
    public static long CheckedElementCount(ReadOnlySpan<long> shape, string name, ProtocolLimits limits)
    {
        foreach (var dim in shape)
        {
            if (dim == 0)
            {
                return 0;
            }
        }

        long count = 1;
        foreach (var dim in shape)
        {
            if (count > limits.MaxElementsPerTensor / dim)
            {
                throw ProtocolException.Input(name, $"has shape {TensorShapes.Format(shape)}, more than the limit of {limits.MaxElementsPerTensor} elements per tensor.");
            }

            count *= dim;
        }

        if (count > limits.MaxElementsPerTensor)
        {
            throw ProtocolException.Input(name, $"has shape {TensorShapes.Format(shape)}, more than the limit of {limits.MaxElementsPerTensor} elements per tensor.");
        }

        return count;
    }
}
