namespace ModelFunctions.Core.Inference;

/// <summary>
/// Checks named tensors against a signature before they reach ONNX Runtime, so errors name the input.
/// </summary>
internal static class InputValidator
{
    public static void Validate(ModelSignature signature, IReadOnlyList<NamedTensor> inputs)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var spec = signature.FindInput(input.Name)
                ?? throw new InferenceInputException(input.Name, $"Unknown input '{input.Name}'; the model's inputs are {string.Join(", ", signature.Inputs.Select(s => $"'{s.Name}'"))}.");

            for (var j = 0; j < i; j++)
            {
                if (inputs[j].Name == input.Name)
                {
                    throw new InferenceInputException(input.Name, $"Input '{input.Name}' is given more than once.");
                }
            }

            if (!spec.IsSupported)
            {
                throw new InferenceInputException(input.Name, $"Input '{input.Name}' cannot be served: {spec.UnsupportedReason}.");
            }

            if (spec.DataType != input.DataType)
            {
                throw new InferenceInputException(input.Name, $"Input '{input.Name}' has datatype {input.DataType.ToProtocolName()}, but the model expects {spec.DataType!.Value.ToProtocolName()}.");
            }

            if (!TensorShapes.Fits(input.Shape, spec.Shape))
            {
                throw new InferenceInputException(input.Name, $"Input '{input.Name}' has shape {TensorShapes.Format(input.Shape)}, but the model expects {TensorShapes.Format(spec.Shape)} (-1 is any size).");
            }

            long count;
            try
            {
                count = TensorShapes.ElementCount(input.Shape);
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
            {
                throw new InferenceInputException(input.Name, $"Input '{input.Name}' has an invalid shape {TensorShapes.Format(input.Shape)}.");
            }

            if (input.DataType == TensorDataType.Bytes)
            {
                var given = input.Strings?.Count ?? 0;
                if (given != count)
                {
                    throw new InferenceInputException(input.Name, $"Input '{input.Name}' has {given} elements, but its shape {TensorShapes.Format(input.Shape)} needs {count}.");
                }
            }
            else
            {
                var size = input.DataType.ElementSize();
                if (input.Data.Length != count * size)
                {
                    throw new InferenceInputException(input.Name, $"Input '{input.Name}' has {input.Data.Length / size} elements, but its shape {TensorShapes.Format(input.Shape)} needs {count}.");
                }
            }
        }

        foreach (var spec in signature.Inputs)
        {
            var found = false;
            foreach (var input in inputs)
            {
                found |= input.Name == spec.Name;
            }

            if (!found)
            {
                throw new InferenceInputException(spec.Name, $"Missing input '{spec.Name}' ({spec.DataType?.ToProtocolName() ?? "unsupported"} {TensorShapes.Format(spec.Shape)}).");
            }
        }
    }
}
