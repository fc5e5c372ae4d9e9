namespace ModelFunctions.Core.Inference;

/// <summary>
/// Metadata an ONNX model carries about itself.
/// </summary>
/// <param name="ProducerName">Tool that produced the model (e.g. pytorch, skl2onnx).</param>
/// <param name="GraphName">Name of the main graph.</param>
/// <param name="Domain">Model domain.</param>
/// <param name="Description">Model documentation string.</param>
/// <param name="ModelVersion">The model_version field of the file (not the registry version).</param>
/// <param name="Custom">Custom metadata properties.</param>
public sealed record OnnxModelMetadata(
    string ProducerName,
    string GraphName,
    string Domain,
    string Description,
    long ModelVersion,
    IReadOnlyDictionary<string, string> Custom);
