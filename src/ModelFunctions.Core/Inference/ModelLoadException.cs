namespace ModelFunctions.Core.Inference;

/// <summary>
/// A model file that ONNX Runtime cannot load: not ONNX, truncated, empty, or using unsupported operators.
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
