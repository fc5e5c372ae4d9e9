namespace ModelFunctions.Core.Inference;

/// <summary>
/// ONNX Runtime failed while running a model on inputs that matched its signature
/// (for example a shape the graph cannot handle at run time).
/// </summary>
public sealed class InferenceRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InferenceRunException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
