namespace ModelFunctions.Core.Onnx;

/// <summary>
/// An operator set a model imports.
/// </summary>
/// <param name="Domain">The operator domain; empty for the default ONNX domain (<c>ai.onnx</c>).</param>
/// <param name="Version">The operator set version.</param>
public sealed record OnnxOpsetImport(string Domain, long Version);
