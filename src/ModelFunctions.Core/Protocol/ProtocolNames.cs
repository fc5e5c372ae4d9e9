namespace ModelFunctions.Core.Protocol;

/// <summary>Field, parameter, header and media type names of the protocol.</summary>
internal static class ProtocolNames
{
    public const string BinaryDataOutput = "binary_data_output";
    public const string BinaryData = "binary_data";
    public const string BinaryDataSize = "binary_data_size";
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";
    public const string JsonMediaType = "application/json";
    public const string OctetStreamMediaType = "application/octet-stream";
    public const string SageMakerBinaryMediaType = "application/vnd.sagemaker-triton.binary+json";
}
