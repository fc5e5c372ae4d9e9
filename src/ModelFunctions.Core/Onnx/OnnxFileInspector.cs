namespace ModelFunctions.Core.Onnx;

/// <summary>
/// Reads an ONNX file's ModelProto without ONNX Runtime: its identity, opsets, main graph signature,
/// metadata and every external-data reference. Input that is not an ONNX model raises
/// <see cref="InvalidDataException"/> with a message saying why.
/// </summary>
public static class OnnxFileInspector
{
    /// <summary>How deeply subgraphs (If/Loop/Scan bodies) may nest before a file is refused.</summary>
    public const int MaxGraphDepth = 64;

    // Field numbers from onnx.proto (IR version 8).
    private const int ModelIrVersion = 1;
    private const int ModelProducerName = 2;
    private const int ModelProducerVersion = 3;
    private const int ModelDomain = 4;
    private const int ModelVersion = 5;
    private const int ModelDocString = 6;
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;
    private const int ModelMetadataProps = 14;
    private const int ModelTrainingInfo = 20;
    private const int ModelFunctions = 25;
    private const int OpsetDomain = 1;
    private const int OpsetVersion = 2;
    private const int EntryKey = 1;
    private const int EntryValue = 2;
    private const int TrainingInitialization = 1;
    private const int TrainingAlgorithm = 2;
    private const int FunctionNode = 7;
    private const int GraphNode = 1;
    private const int GraphName = 2;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int GraphSparseInitializer = 15;
    private const int ValueInfoName = 1;
    private const int NodeAttribute = 5;
    private const int AttributeTensor = 5;
    private const int AttributeGraph = 6;
    private const int AttributeTensors = 10;
    private const int AttributeGraphs = 11;
    private const int AttributeSparseTensor = 22;
    private const int AttributeSparseTensors = 23;
    private const int SparseValues = 1;
    private const int SparseIndices = 2;
    private const int TensorName = 8;
    private const int TensorExternalData = 13;
    private const int TensorDataLocation = 14;
    private const int DataLocationExternal = 1;

    /// <summary>Reads a model from its bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are empty, malformed, or not an ONNX model.</exception>
    public static OnnxFileInfo Inspect(ReadOnlySpan<byte> model)
    {
        if (model.IsEmpty)
        {
            throw new InvalidDataException("Not an ONNX model: the file is empty (0 bytes).");
        }

        try
        {
            return ReadModel(new ProtoReader(model));
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Not an ONNX model: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a model from a stream, to its end.</summary>
    /// <exception cref="InvalidDataException">The content is empty, malformed, not an ONNX model, or over 2 GB.</exception>
    public static async Task<OnnxFileInfo> InspectAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > Array.MaxLength)
            {
                throw new InvalidDataException("Not an ONNX model: the file is larger than a protobuf message can be (2 GB).");
            }

            buffer.Write(chunk, 0, read);
        }

        return Inspect(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static OnnxFileInfo ReadModel(ProtoReader reader)
    {
        long? irVersion = null;
        string producerName = string.Empty, producerVersion = string.Empty, domain = string.Empty, docString = string.Empty;
        long modelVersion = 0;
        var opsets = new List<OnnxOpsetImport>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var external = new List<OnnxExternalDataReference>();
        var main = new MainGraph();
        var hasGraph = false;

        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case ModelIrVersion:
                    reader.Expect(wire, WireType.Varint, "ModelProto.ir_version");
                    irVersion = reader.ReadInt64();
                    break;
                case ModelProducerName:
                    producerName = ReadString(ref reader, wire, "ModelProto.producer_name");
                    break;
                case ModelProducerVersion:
                    producerVersion = ReadString(ref reader, wire, "ModelProto.producer_version");
                    break;
                case ModelDomain:
                    domain = ReadString(ref reader, wire, "ModelProto.domain");
                    break;
                case ModelVersion:
                    reader.Expect(wire, WireType.Varint, "ModelProto.model_version");
                    modelVersion = reader.ReadInt64();
                    break;
                case ModelDocString:
                    docString = ReadString(ref reader, wire, "ModelProto.doc_string");
                    break;
                case ModelGraph:
                    reader.Expect(wire, WireType.LengthDelimited, "ModelProto.graph");
                    ScanGraph(reader.ReadMessage(), 0, external, main);
                    hasGraph = true;
                    break;
                case ModelOpsetImport:
                    reader.Expect(wire, WireType.LengthDelimited, "ModelProto.opset_import");
                    opsets.Add(ReadOpset(reader.ReadMessage()));
                    break;
                case ModelMetadataProps:
                    reader.Expect(wire, WireType.LengthDelimited, "ModelProto.metadata_props");
                    var (key, value) = ReadEntry(reader.ReadMessage());
                    metadata[key] = value;
                    break;
                case ModelTrainingInfo:
                    reader.Expect(wire, WireType.LengthDelimited, "ModelProto.training_info");
                    ScanTrainingInfo(reader.ReadMessage(), external);
                    break;
                case ModelFunctions:
                    reader.Expect(wire, WireType.LengthDelimited, "ModelProto.functions");
                    ScanFunction(reader.ReadMessage(), external);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (irVersion is not > 0)
        {
            throw new InvalidDataException("it declares no ir_version (an ONNX ModelProto always has one).");
        }

        if (!hasGraph)
        {
            throw new InvalidDataException("it has no graph.");
        }

        // IR version 3 made opset_import mandatory; ONNX Runtime refuses files without it.
        if (irVersion >= 3 && opsets.Count == 0)
        {
            throw new InvalidDataException($"it declares IR version {irVersion} but imports no operator set.");
        }

        var inputs = main.Inputs.Where(name => !main.Initializers.Contains(name)).ToArray();
        return new OnnxFileInfo(
            irVersion.Value,
            producerName,
            producerVersion,
            domain,
            modelVersion,
            docString,
            opsets,
            main.Name,
            inputs,
            main.Outputs,
            metadata,
            external);
    }

    private static void ScanGraph(ProtoReader reader, int depth, List<OnnxExternalDataReference> external, MainGraph? main)
    {
        if (depth > MaxGraphDepth)
        {
            throw ProtoReader.Invalid(reader.Offset, $"subgraphs nest deeper than {MaxGraphDepth} levels");
        }

        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case GraphNode:
                    reader.Expect(wire, WireType.LengthDelimited, "GraphProto.node");
                    ScanNode(reader.ReadMessage(), depth, external);
                    break;
                case GraphInitializer:
                    reader.Expect(wire, WireType.LengthDelimited, "GraphProto.initializer");
                    var name = ScanTensor(reader.ReadMessage(), external);
                    main?.Initializers.Add(name);
                    break;
                case GraphSparseInitializer:
                    reader.Expect(wire, WireType.LengthDelimited, "GraphProto.sparse_initializer");
                    var sparseName = ScanSparseTensor(reader.ReadMessage(), external);
                    main?.Initializers.Add(sparseName);
                    break;
                case GraphName when main is not null:
                    main.Name = ReadString(ref reader, wire, "GraphProto.name");
                    break;
                case GraphInput when main is not null:
                    reader.Expect(wire, WireType.LengthDelimited, "GraphProto.input");
                    main.Inputs.Add(ReadValueInfoName(reader.ReadMessage()));
                    break;
                case GraphOutput when main is not null:
                    reader.Expect(wire, WireType.LengthDelimited, "GraphProto.output");
                    main.Outputs.Add(ReadValueInfoName(reader.ReadMessage()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static void ScanNode(ProtoReader reader, int depth, List<OnnxExternalDataReference> external)
    {
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == NodeAttribute)
            {
                reader.Expect(wire, WireType.LengthDelimited, "NodeProto.attribute");
                ScanAttribute(reader.ReadMessage(), depth, external);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void ScanAttribute(ProtoReader reader, int depth, List<OnnxExternalDataReference> external)
    {
        // Every tensor- or graph-valued field is scanned whatever the declared type says, so a mislabelled
        // attribute cannot hide a reference.
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case AttributeTensor or AttributeTensors:
                    reader.Expect(wire, WireType.LengthDelimited, "AttributeProto.t");
                    ScanTensor(reader.ReadMessage(), external);
                    break;
                case AttributeSparseTensor or AttributeSparseTensors:
                    reader.Expect(wire, WireType.LengthDelimited, "AttributeProto.sparse_tensor");
                    ScanSparseTensor(reader.ReadMessage(), external);
                    break;
                case AttributeGraph or AttributeGraphs:
                    reader.Expect(wire, WireType.LengthDelimited, "AttributeProto.g");
                    ScanGraph(reader.ReadMessage(), depth + 1, external, main: null);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static string ScanTensor(ProtoReader reader, List<OnnxExternalDataReference> external)
    {
        var name = string.Empty;
        string? location = null;
        var hasExternalEntries = false;
        var isExternal = false;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case TensorName:
                    name = ReadString(ref reader, wire, "TensorProto.name");
                    break;
                case TensorExternalData:
                    reader.Expect(wire, WireType.LengthDelimited, "TensorProto.external_data");
                    hasExternalEntries = true;
                    var (key, value) = ReadEntry(reader.ReadMessage());
                    if (key == "location")
                    {
                        location = value;
                    }

                    break;
                case TensorDataLocation:
                    reader.Expect(wire, WireType.Varint, "TensorProto.data_location");
                    isExternal = reader.ReadInt32() == DataLocationExternal;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (isExternal || hasExternalEntries)
        {
            external.Add(new OnnxExternalDataReference(name, location ?? string.Empty));
        }

        return name;
    }

    private static string ScanSparseTensor(ProtoReader reader, List<OnnxExternalDataReference> external)
    {
        var name = string.Empty;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case SparseValues:
                    reader.Expect(wire, WireType.LengthDelimited, "SparseTensorProto.values");
                    name = ScanTensor(reader.ReadMessage(), external);
                    break;
                case SparseIndices:
                    reader.Expect(wire, WireType.LengthDelimited, "SparseTensorProto.indices");
                    ScanTensor(reader.ReadMessage(), external);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return name;
    }

    private static void ScanTrainingInfo(ProtoReader reader, List<OnnxExternalDataReference> external)
    {
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field is TrainingInitialization or TrainingAlgorithm)
            {
                reader.Expect(wire, WireType.LengthDelimited, "TrainingInfoProto graph");
                ScanGraph(reader.ReadMessage(), 1, external, main: null);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void ScanFunction(ProtoReader reader, List<OnnxExternalDataReference> external)
    {
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == FunctionNode)
            {
                reader.Expect(wire, WireType.LengthDelimited, "FunctionProto.node");
                ScanNode(reader.ReadMessage(), 1, external);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static OnnxOpsetImport ReadOpset(ProtoReader reader)
    {
        var domain = string.Empty;
        long version = 0;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case OpsetDomain:
                    domain = ReadString(ref reader, wire, "OperatorSetIdProto.domain");
                    break;
                case OpsetVersion:
                    reader.Expect(wire, WireType.Varint, "OperatorSetIdProto.version");
                    version = reader.ReadInt64();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new OnnxOpsetImport(domain, version);
    }

    private static (string Key, string Value) ReadEntry(ProtoReader reader)
    {
        string key = string.Empty, value = string.Empty;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case EntryKey:
                    key = ReadString(ref reader, wire, "StringStringEntryProto.key");
                    break;
                case EntryValue:
                    value = ReadString(ref reader, wire, "StringStringEntryProto.value");
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (key, value);
    }

    private static string ReadValueInfoName(ProtoReader reader)
    {
        var name = string.Empty;
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == ValueInfoName)
            {
                name = ReadString(ref reader, wire, "ValueInfoProto.name");
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return name;
    }

    private static string ReadString(ref ProtoReader reader, WireType wire, string field)
    {
        reader.Expect(wire, WireType.LengthDelimited, field);
        return reader.ReadString();
    }

    private sealed class MainGraph
    {
        public string Name { get; set; } = string.Empty;

        public List<string> Inputs { get; } = [];

        public List<string> Outputs { get; } = [];

        public HashSet<string> Initializers { get; } = new(StringComparer.Ordinal);
    }
}
