using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Inputs for a smoke inference: zeros of each declared type and shape (dynamic dimensions 1, strings empty).
/// </summary>
internal static class SyntheticInputs
{
    public static IReadOnlyList<NamedTensor> Create(IReadOnlyList<TensorSpec> inputs)
    {
        var tensors = new NamedTensor[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var spec = inputs[i];
            var type = spec.DataType ?? throw new ArgumentException($"Input '{spec.Name}' is not a tensor.", nameof(inputs));
            var shape = spec.Shape.Select(d => d < 0 ? 1 : d).ToArray();
            var count = TensorShapes.ElementCount(shape);
            tensors[i] = type == TensorDataType.Bytes
                ? new NamedTensor(spec.Name, type, shape, ReadOnlyMemory<byte>.Empty, Enumerable.Repeat(ReadOnlyMemory<byte>.Empty, checked((int)count)).ToArray())
                : new NamedTensor(spec.Name, type, shape, new byte[checked((int)(count * type.ElementSize()))]);
        }

        return tensors;
    }
}
