namespace ModelFunctions.Core.Inference;

/// <summary>
/// Inputs that respect a signature's types and shapes (dynamic dimensions = 1, zeros, empty strings):
/// what a smoke test or a warm-up run feeds a model.
/// </summary>
public static class SyntheticInputs
{
    /// <summary>One zero-filled tensor per declared input.</summary>
    /// <exception cref="InferenceInputException">An input is not a tensor the protocol can carry.</exception>
    public static IReadOnlyList<NamedTensor> Create(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var inputs = new NamedTensor[signature.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var spec = signature.Inputs[i];
            if (!spec.IsSupported)
            {
                throw new InferenceInputException(spec.Name, $"Input {spec.UnsupportedReason}.");
            }

            var shape = spec.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            var count = TensorShapes.ElementCount(shape);
            inputs[i] = spec.DataType == TensorDataType.Bytes
                ? new NamedTensor(spec.Name, TensorDataType.Bytes, shape, ReadOnlyMemory<byte>.Empty, Enumerable.Repeat(ReadOnlyMemory<byte>.Empty, checked((int)count)).ToArray())
                : new NamedTensor(spec.Name, spec.DataType!.Value, shape, new byte[checked((int)(count * spec.DataType.Value.ElementSize()))]);
        }

        return inputs;
    }
}
