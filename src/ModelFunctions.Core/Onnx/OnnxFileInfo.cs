namespace ModelFunctions.Core.Onnx;

/// <summary>
/// What an ONNX file says about itself, read from its ModelProto without loading it into a runtime.
/// </summary>
/// <param name="IrVersion">The ONNX IR version the file targets.</param>
/// <param name="ProducerName">The tool that wrote the file.</param>
/// <param name="ProducerVersion">That tool's version.</param>
/// <param name="Domain">The model's reverse-DNS namespace, if any.</param>
/// <param name="ModelVersion">The model's own version number (0 when unset).</param>
/// <param name="DocString">The model's documentation string.</param>
/// <param name="OpsetImports">Imported operator sets, in file order.</param>
/// <param name="GraphName">The main graph's name.</param>
/// <param name="InputNames">The main graph's inputs that are not initializers, in file order.</param>
/// <param name="OutputNames">The main graph's outputs, in file order.</param>
/// <param name="MetadataProps">Free-form metadata; a repeated key keeps its last value.</param>
/// <param name="ExternalData">
/// Every tensor stored outside the file: initializers of the main graph and of subgraphs, tensor attributes
/// (such as Constant nodes' values) and the tensors of functions and training graphs.
/// </param>
public sealed record OnnxFileInfo(
    long IrVersion,
    string ProducerName,
    string ProducerVersion,
    string Domain,
    long ModelVersion,
    string DocString,
    IReadOnlyList<OnnxOpsetImport> OpsetImports,
    string GraphName,
    IReadOnlyList<string> InputNames,
    IReadOnlyList<string> OutputNames,
    IReadOnlyDictionary<string, string> MetadataProps,
    IReadOnlyList<OnnxExternalDataReference> ExternalData);
