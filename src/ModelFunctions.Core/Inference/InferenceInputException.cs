namespace ModelFunctions.Core.Inference;

/// <summary>
/// A request the model cannot run as given: unknown, missing or mistyped inputs, bad shapes, unsupported outputs.
/// The message names the input or output concerned.
/// </summary>
public sealed class InferenceInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InferenceInputException(string? tensorName, string message) : base(message)
    {
        TensorName = tensorName;
    }

    /// <summary>The input or output the problem is about, when there is one.</summary>
    public string? TensorName { get; }
}
