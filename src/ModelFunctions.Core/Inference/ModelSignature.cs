namespace ModelFunctions.Core.Inference;

/// <summary>
/// What a loaded model takes and returns, and what it says about itself.
/// </summary>
/// <param name="Inputs">Declared inputs in model order.</param>
/// <param name="Outputs">Declared outputs in model order.</param>
/// <param name="Metadata">The model's own metadata.</param>
public sealed record ModelSignature(
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    OnnxModelMetadata Metadata)
{
    /// <summary>The input of that name, or null.</summary>
    public TensorSpec? FindInput(string name) => Inputs.FirstOrDefault(i => i.Name == name);

    /// <summary>The output of that name, or null.</summary>
    public TensorSpec? FindOutput(string name) => Outputs.FirstOrDefault(o => o.Name == name);
}
