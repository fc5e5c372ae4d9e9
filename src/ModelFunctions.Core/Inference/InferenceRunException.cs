namespace ModelFunctions.Core.Inference;

/// <summary>
/// ONNX Runtime failed while running a model on inputs that matched its signature
/// (for example values or shapes the graph cannot handle at run time).
/// </summary>
public sealed class InferenceRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InferenceRunException(string message, bool isInvalidInput, Exception? inner = null) : base(message, inner)
    {
        IsInvalidInput = isInvalidInput;
    }

    /// <summary>Whether ONNX Runtime blamed the inputs (its InvalidArgument code) rather than itself.</summary>
    public bool IsInvalidInput { get; }
}
