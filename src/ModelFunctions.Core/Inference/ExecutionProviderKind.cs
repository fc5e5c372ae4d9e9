namespace ModelFunctions.Core.Inference;

/// <summary>Execution providers a model can run on.</summary>
public enum ExecutionProviderKind
{
    /// <summary>The CPU provider; always available.</summary>
    Cpu,
    /// <summary>NVIDIA CUDA; falls back to CPU when no provider library or device is present.</summary>
    Cuda,
}
