using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Concatenates requests along the first dimension and splits merged outputs back per request.
/// </summary>
internal static class BatchTensors
{
    /// <summary>Concatenates each input across requests (all share names, types and trailing dimensions).</summary>
    public static NamedTensor[] Concatenate(IReadOnlyList<NamedTensor>[] requests)
    {
        var first = requests[0];
        var merged = new NamedTensor[first.Count];
        for (var i = 0; i < first.Count; i++)
        {
            var template = first[i];
            long rows = 0;
            foreach (var request in requests)
            {
                rows += request[i].Shape[0];
            }

            var shape = (long[])template.Shape.Clone();
            shape[0] = rows;
            if (template.DataType == TensorDataType.Bytes)
            {
                var strings = new List<ReadOnlyMemory<byte>>();
                foreach (var request in requests)
                {
                    strings.AddRange(request[i].Strings ?? []);
                }

                merged[i] = new NamedTensor(template.Name, template.DataType, shape, ReadOnlyMemory<byte>.Empty, strings);
                continue;
            }

            var total = 0;
            foreach (var request in requests)
            {
                total += request[i].Data.Length;
            }

            var data = new byte[total];
            var offset = 0;
            foreach (var request in requests)
            {
                request[i].Data.Span.CopyTo(data.AsSpan(offset));
                offset += request[i].Data.Length;
            }

            merged[i] = new NamedTensor(template.Name, template.DataType, shape, data);
        }

        return merged;
    }

    /// <summary>
    /// Splits merged outputs by the row counts of the requests (slices share the merged buffers),
    /// or null when an output's first dimension is not the total row count.
    /// </summary>
    public static IReadOnlyList<NamedTensor>[]? Split(IReadOnlyList<NamedTensor> merged, long[] rows)
    {
        var total = rows.Sum();
        foreach (var output in merged)
        {
            if (output.Shape.Length == 0 || output.Shape[0] != total)
            {
                return null;
            }
        }

        var result = new IReadOnlyList<NamedTensor>[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            result[r] = new NamedTensor[merged.Count];
        }

        for (var o = 0; o < merged.Count; o++)
        {
            var output = merged[o];
            long start = 0;
            for (var r = 0; r < rows.Length; r++)
            {
                var shape = (long[])output.Shape.Clone();
                shape[0] = rows[r];
                NamedTensor part;
                if (output.DataType == TensorDataType.Bytes)
                {
                    var perRow = output.Strings!.Count / total;
                    var slice = output.Strings.Skip((int)(start * perRow)).Take((int)(rows[r] * perRow)).ToArray();
                    part = new NamedTensor(output.Name, output.DataType, shape, ReadOnlyMemory<byte>.Empty, slice);
                }
                else
                {
                    var rowBytes = output.Data.Length / total;
                    part = new NamedTensor(output.Name, output.DataType, shape, output.Data.Slice((int)(start * rowBytes), (int)(rows[r] * rowBytes)));
                }

                ((NamedTensor[])result[r])[o] = part;
                start += rows[r];
            }
        }

        return result;
    }
}
