namespace ModelFunctions.Core.Http;

/// <summary>One input or output in model metadata.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Datatype">Protocol datatype, such as <c>FP32</c>.</param>
/// <param name="Shape">Declared dimensions, -1 for a variable one.</param>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);
