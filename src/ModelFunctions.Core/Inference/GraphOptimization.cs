namespace ModelFunctions.Core.Inference;

/// <summary>Graph optimization levels, as ONNX Runtime defines them.</summary>
public enum GraphOptimization
{
    /// <summary>No optimization.</summary>
    Disabled,
    /// <summary>Semantics-preserving rewrites such as constant folding.</summary>
    Basic,
    /// <summary>Basic plus node fusions.</summary>
    Extended,
    /// <summary>Everything, including layout optimizations.</summary>
    All,
}
