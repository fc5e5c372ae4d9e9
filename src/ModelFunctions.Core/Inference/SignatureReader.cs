using Microsoft.ML.OnnxRuntime;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// Reads a session's inputs, outputs and metadata into a <see cref="ModelSignature"/>.
/// </summary>
internal static class SignatureReader
{
    public static ModelSignature Read(InferenceSession session)
    {
        var inputs = session.InputNames.Select(n => ToSpec(n, session.InputMetadata[n])).ToArray();
        var outputs = session.OutputNames.Select(n => ToSpec(n, session.OutputMetadata[n])).ToArray();
        var meta = session.ModelMetadata;
        var metadata = new OnnxModelMetadata(
            meta.ProducerName ?? string.Empty,
            meta.GraphName ?? string.Empty,
            meta.Domain ?? string.Empty,
            meta.Description ?? string.Empty,
            meta.Version,
            new Dictionary<string, string>(meta.CustomMetadataMap ?? []));
        return new ModelSignature(inputs, outputs, metadata);
    }

    private static TensorSpec ToSpec(string name, NodeMetadata node)
    {
        if (node.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            var kind = node.OnnxValueType switch
            {
                OnnxValueType.ONNX_TYPE_SEQUENCE => "a sequence",
                OnnxValueType.ONNX_TYPE_MAP => "a map",
                OnnxValueType.ONNX_TYPE_OPTIONAL => "an optional value",
                OnnxValueType.ONNX_TYPE_SPARSETENSOR => "a sparse tensor",
                _ => "not a tensor",
            };
            return new TensorSpec(name, null, [], $"'{name}' is {kind}; only tensors can be served");
        }

        var shape = node.Dimensions.Select(d => d < 0 ? -1L : d).ToArray();
        if (!TensorDataTypes.TryFromOrt(node.ElementDataType, out var dataType))
        {
            return new TensorSpec(name, null, shape, $"'{name}' has element type {node.ElementDataType}, which the protocol cannot carry");
        }

        return new TensorSpec(name, dataType, shape);
    }
}
