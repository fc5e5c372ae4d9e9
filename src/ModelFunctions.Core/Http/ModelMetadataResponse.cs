namespace ModelFunctions.Core.Http;

/// <summary>Body of <c>GET /v2/models/{model}[/versions/{version}]</c>.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Versions">Versions that can be served.</param>
/// <param name="Platform">Always <c>onnx_onnxv1</c>.</param>
/// <param name="Inputs">Declared inputs.</param>
/// <param name="Outputs">Declared outputs the protocol can carry.</param>
public sealed record ModelMetadataResponse(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorMetadata> Inputs,
    IReadOnlyList<TensorMetadata> Outputs);
