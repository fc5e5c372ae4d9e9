using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Whether and how a model's requests can be merged: every input and output must have a dynamic first dimension.
/// </summary>
internal static class BatchPlan
{
    /// <summary>Why the model cannot batch, or null when it can.</summary>
    public static string? WhyNot(ModelSignature signature)
    {
        foreach (var input in signature.Inputs)
        {
            if (!input.IsSupported || input.Shape.Length == 0 || input.Shape[0] != -1)
            {
                return $"input '{input.Name}' has no dynamic first dimension";
            }
        }

        foreach (var output in signature.Outputs.Where(o => o.IsSupported))
        {
            if (output.Shape.Length == 0 || output.Shape[0] != -1)
            {
                return $"output '{output.Name}' has no dynamic first dimension";
            }
        }

        return signature.Inputs.Count == 0 ? "the model has no inputs" : null;
    }

    /// <summary>
    /// A key equal for requests that can share a run: same output selection and the same shapes past the first
    /// dimension. Null when the request cannot batch (inputs in another order, or a scalar).
    /// </summary>
    public static string? Key(ModelSignature signature, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputs)
    {
        if (inputs.Count != signature.Inputs.Count)
        {
            return null;
        }

        var key = new System.Text.StringBuilder();
        long rows = -1;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (input.Name != signature.Inputs[i].Name || input.Shape.Length == 0)
            {
                return null;
            }

            if (rows >= 0 && input.Shape[0] != rows)
            {
                return null;
            }

            rows = input.Shape[0];
            key.Append(input.Name).Append(':').Append((int)input.DataType);
            for (var d = 1; d < input.Shape.Length; d++)
            {
                key.Append('x').Append(input.Shape[d]);
            }

            key.Append(';');
        }

        if (outputs is not null)
        {
            key.Append('>').AppendJoin(',', outputs);
        }

        return key.ToString();
    }
}
