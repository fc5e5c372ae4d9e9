using System.Text.Json;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Infers the shape of nested JSON array data from its first element at each level (TF Serving style, where the
/// request carries no shape). <see cref="TensorDataReader"/> then checks that the rest is rectangular.
/// </summary>
internal static class ShapeInference
{
    /// <summary>The dimensions of the JSON value the reader is on; the reader ends on its last token.</summary>
    public static long[] Infer(ref Utf8JsonReader reader, string name, int maxDepth)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return [];
        }

        var dims = new List<long>(4);
        Span<long> counts = maxDepth < 64 ? stackalloc long[maxDepth + 2] : new long[maxDepth + 2];
        var depth = 1;
        var leafDepth = 0;
        counts[1] = 0;
        while (depth > 0)
        {
            ProtocolJson.Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    counts[depth]++;
                    depth++;
                    if (depth > maxDepth)
                    {
                        throw ProtocolException.Input(name, $"has data nested deeper than the limit of {maxDepth} levels.");
                    }

                    counts[depth] = 0;
                    break;
                case JsonTokenType.EndArray:
                    // The first array to close at a level is that level's first array: it sets the dimension.
                    if (dims.Count < depth)
                    {
                        while (dims.Count < depth)
                        {
                            dims.Add(-1);
                        }
                    }

                    if (dims[depth - 1] < 0)
                    {
                        dims[depth - 1] = counts[depth];
                    }

                    depth--;
                    break;
                case JsonTokenType.StartObject:
                    throw ProtocolException.Input(name, "has an object where tensor data (numbers, strings, booleans or arrays of them) was expected.");
                default:
                    counts[depth]++;
                    if (leafDepth == 0)
                    {
                        leafDepth = depth;
                    }

                    break;
            }
        }

        // Scalars sit inside the innermost arrays: the rank is their depth (or every level seen, when all are empty).
        var rank = leafDepth != 0 ? leafDepth : dims.Count;
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            shape[i] = i < dims.Count && dims[i] >= 0 ? dims[i] : 0;
        }

        return shape;
    }
}
