using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Reads the JSON <c>data</c> of a tensor whose shape is known, flat or nested, into a <see cref="TensorBuffer"/>.
/// Nested data must be rectangular and agree with the shape level by level.
/// </summary>
internal static class TensorDataReader
{
    /// <summary>Reads a whole tensor; the reader is on the first token of the data.</summary>
    public static NamedTensor Read(ref Utf8JsonReader reader, string name, TensorDataType type, long[] shape, long count, ProtocolLimits limits)
    {
        var buffer = new TensorBuffer(name, type, count, limits);
        ReadInto(ref reader, name, shape, count, buffer, limits.MaxNestingDepth);
        return buffer.ToTensor(shape);
    }

    /// <summary>
    /// Appends <paramref name="count"/> elements of the given shape to <paramref name="buffer"/>; the reader is on
    /// the first token of the data and ends on its last token.
    /// </summary>
    public static void ReadInto(ref Utf8JsonReader reader, string name, ReadOnlySpan<long> shape, long count, TensorBuffer buffer, int maxDepth)
    {
        var start = buffer.Count;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // A bare value stands for a tensor of one element.
            if (count != 1)
            {
                throw ProtocolException.Input(name, $"has a single value as data, but its shape {TensorShapes.Format(shape)} needs {count} elements.");
            }

            buffer.Add(ref reader);
            return;
        }

        Span<long> counts = maxDepth < 64 ? stackalloc long[maxDepth + 2] : new long[maxDepth + 2];
        var depth = 1;
        var leafDepth = 0;
        counts[1] = 0;
        while (depth > 0)
        {
            if (!reader.Read())
            {
                throw ProtocolException.Input(name, "has data that ends before its arrays close.");
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    if (leafDepth != 0 && depth >= leafDepth)
                    {
                        throw Ragged(name, shape);
                    }

                    counts[depth]++;
                    depth++;
                    if (depth > maxDepth)
                    {
                        throw ProtocolException.Input(name, $"has data nested deeper than the limit of {maxDepth} levels.");
                    }

                    counts[depth] = 0;
                    break;
                case JsonTokenType.EndArray:
                    var flat = leafDepth == 1 || (leafDepth == 0 && depth == 1 && counts[1] == 0);
                    if (!flat && (depth > shape.Length || counts[depth] != shape[depth - 1]))
                    {
                        throw ProtocolException.Input(name, $"has nested data with {counts[depth]} entries at level {depth}, which does not agree with its shape {TensorShapes.Format(shape)}.");
                    }

                    depth--;
                    break;
                default:
                    if (leafDepth == 0)
                    {
                        if (depth != 1 && depth != shape.Length)
                        {
                            throw ProtocolException.Input(name, $"has data nested {depth} levels deep, but its shape {TensorShapes.Format(shape)} has rank {shape.Length} (send it flat or nested {shape.Length} deep).");
                        }

                        leafDepth = depth;
                    }
                    else if (depth != leafDepth)
                    {
                        throw Ragged(name, shape);
                    }

                    counts[depth]++;
                    buffer.Add(ref reader);
                    break;
            }
        }

        var read = buffer.Count - start;
        if (read != count)
        {
            throw ProtocolException.Input(name, $"has {read} data elements, but its shape {TensorShapes.Format(shape)} needs {count}.");
        }
    }

    private static ProtocolException Ragged(string name, ReadOnlySpan<long> shape) =>
        ProtocolException.Input(name, $"has ragged data (values and arrays mixed at one level); nested data must be rectangular with shape {TensorShapes.Format(shape)}.");
}
