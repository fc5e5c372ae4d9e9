namespace ModelFunctions.Core.Inference;

/// <summary>
/// A declared model input or output.
/// </summary>
/// <param name="Name">Input or output name.</param>
/// <param name="DataType">Element type; null when the value is not a tensor the protocol can carry.</param>
/// <param name="Shape">Declared dimensions, -1 for a dynamic one.</param>
/// <param name="UnsupportedReason">Why this value cannot be served (a sequence, a map, a complex type), or null.</param>
public sealed record TensorSpec(string Name, TensorDataType? DataType, long[] Shape, string? UnsupportedReason = null)
{
    /// <summary>Whether the value is a tensor of a datatype the protocol can carry.</summary>
    public bool IsSupported => UnsupportedReason is null && DataType is not null;
}
