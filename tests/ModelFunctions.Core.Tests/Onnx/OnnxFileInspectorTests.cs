using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Onnx;

namespace ModelFunctions.Core.Tests.Onnx;

public sealed class OnnxFileInspectorTests
{
    [Fact]
    public void Inspect_IrisModel_ReadsIdentitySignatureAndMetadata()
    {
        var info = OnnxFileInspector.Inspect(TestModels.Bytes("iris.onnx"));

        Assert.Equal(8, info.IrVersion);
        Assert.Equal("modelfunctions-tests", info.ProducerName);
        Assert.Equal("1.0", info.ProducerVersion);
        Assert.Equal(string.Empty, info.Domain);
        Assert.Equal(0, info.ModelVersion);
        Assert.StartsWith("Softmax regression", info.DocString);
        Assert.Equal([new OnnxOpsetImport(string.Empty, 17)], info.OpsetImports);
        Assert.Equal("iris_classifier", info.GraphName);
        Assert.Equal(["features"], info.InputNames);
        Assert.Equal(["probabilities", "label"], info.OutputNames);
        Assert.Equal("setosa,versicolor,virginica", info.MetadataProps["classes"]);
        Assert.Equal(2, info.MetadataProps.Count);
        Assert.Empty(info.ExternalData);
    }

    [Fact]
    public void Inspect_ExternalDataModel_ListsTheInitializerLocation()
    {
        var info = OnnxFileInspector.Inspect(TestModels.Bytes("external_data.onnx"));

        var reference = Assert.Single(info.ExternalData);
        Assert.Equal(new OnnxExternalDataReference("W", "weights.bin"), reference);
        Assert.False(reference.EscapesFolder);
        Assert.Equal(["x"], info.InputNames);
    }

    [Fact]
    public void Inspect_EscapingModel_FlagsTheLocation()
    {
        var info = OnnxFileInspector.Inspect(TestModels.Bytes("external_data_escape.onnx"));

        var reference = Assert.Single(info.ExternalData);
        Assert.Equal("../../secret.bin", reference.Location);
        Assert.True(reference.EscapesFolder);
    }

    [Fact]
    public void Inspect_NestedModel_FindsReferencesInSubgraphsAndConstantNodes()
    {
        var info = OnnxFileInspector.Inspect(TestModels.Bytes("external_data_nested.onnx"));

        Assert.Equal(
            // onnx.helper writes attributes sorted by name: else_branch, then then_branch.
            [new OnnxExternalDataReference("else_w", "sub/else_weights.bin"), new OnnxExternalDataReference("then_const", "then_const.bin")],
            info.ExternalData);
        Assert.All(info.ExternalData, r => Assert.False(r.EscapesFolder));
        Assert.Equal(["cond", "x"], info.InputNames);
        Assert.Equal(["y"], info.OutputNames);
        Assert.Equal([new OnnxOpsetImport(string.Empty, 17), new OnnxOpsetImport("ai.onnx.ml", 3)], info.OpsetImports);
        Assert.Equal("org.modelfunctions.tests", info.Domain);
        Assert.Equal(7, info.ModelVersion);
        Assert.Equal("2.5", info.ProducerVersion);
        Assert.Equal("External data in subgraphs.", info.DocString);
        Assert.Equal("inspection", info.MetadataProps["stage"]);
    }

    [Theory]
    [InlineData("iris.onnx")]
    [InlineData("mlp.onnx")]
    [InlineData("multi_input.onnx")]
    [InlineData("identity_all_types.onnx")]
    [InlineData("zero_input.onnx")]
    [InlineData("sequence_output.onnx")]
    [InlineData("external_data.onnx")]
    // string_input.onnx is left out: its StringNormalizer needs an en_US.UTF-8 locale to load.
    public void Inspect_TestModel_AgreesWithOnnxRuntimeOnInputsAndOutputs(string file)
    {
        var engine = new OnnxRuntimeEngine(Options.Create(new OnnxRuntimeOptions()), NullLogger<OnnxRuntimeEngine>.Instance);
        using var model = engine.LoadFile(TestModels.Path(file), file);

        var info = OnnxFileInspector.Inspect(TestModels.Bytes(file));

        Assert.Equal(model.Signature.Inputs.Select(i => i.Name), info.InputNames);
        Assert.Equal(model.Signature.Outputs.Select(o => o.Name), info.OutputNames);
        Assert.Equal(model.Signature.Metadata.GraphName, info.GraphName);
        Assert.Equal(model.Signature.Metadata.ProducerName, info.ProducerName);
    }

    [Fact]
    public async Task InspectAsync_FileStream_MatchesInspectingTheBytes()
    {
        await using var stream = File.OpenRead(TestModels.Path("external_data_nested.onnx"));

        var fromStream = await OnnxFileInspector.InspectAsync(stream, CancellationToken.None);
        var fromBytes = OnnxFileInspector.Inspect(TestModels.Bytes("external_data_nested.onnx"));

        Assert.Equal(fromBytes.ExternalData, fromStream.ExternalData);
        Assert.Equal(fromBytes.InputNames, fromStream.InputNames);
        Assert.Equal(fromBytes.MetadataProps, fromStream.MetadataProps);
    }

    [Fact]
    public async Task InspectAsync_EmptyStream_IsRejectedAsEmpty()
    {
        using var stream = new MemoryStream();

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => OnnxFileInspector.InspectAsync(stream, CancellationToken.None));

        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Inspect_EmptyBytes_IsRejectedAsEmpty()
    {
        var ex = Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect([]));

        Assert.Equal("Not an ONNX model: the file is empty (0 bytes).", ex.Message);
    }

    [Fact]
    public void Inspect_EveryTruncation_IsRejectedOrReadSafely()
    {
        var bytes = TestModels.Bytes("iris.onnx");
        var rejected = 0;

        for (var length = 1; length < bytes.Length; length++)
        {
            try
            {
                OnnxFileInspector.Inspect(bytes.AsSpan(0, length));
            }
            catch (InvalidDataException ex)
            {
                Assert.StartsWith("Not an ONNX model: ", ex.Message);
                rejected++;
            }
        }

        // Only cuts at a field boundary after the graph and the opset import can still be a complete model.
        Assert.True(rejected > bytes.Length * 9 / 10, $"{rejected} of {bytes.Length - 1} truncations rejected");
        Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(bytes.AsSpan(0, bytes.Length / 2)));
    }

    [Fact]
    public void Inspect_RandomBytes_AreRejected()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);

            var ex = Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(bytes));

            Assert.StartsWith("Not an ONNX model: ", ex.Message);
        }
    }

    [Fact]
    public void Inspect_CsvFile_IsRejected()
    {
        Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(TestModels.Bytes("iris.reference.csv")));
    }

    [Fact]
    public void Inspect_ValidProtobufWithoutGraph_IsRejected()
    {
        byte[] bytes = [.. ProtoBytes.VarintField(1, 8), .. ProtoBytes.String(2, "not a model")];

        var ex = Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(bytes));

        Assert.Contains("no graph", ex.Message);
    }

    [Fact]
    public void Inspect_GraphWithoutIrVersion_IsRejected()
    {
        var bytes = ProtoBytes.Message(7, ProtoBytes.String(2, "g"));

        var ex = Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(bytes));

        Assert.Contains("ir_version", ex.Message);
    }

    [Fact]
    public void Inspect_GraphWithWrongWireType_IsRejected()
    {
        byte[] bytes = [.. ProtoBytes.VarintField(1, 8), .. ProtoBytes.VarintField(7, 1)];

        var ex = Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(bytes));

        Assert.Contains("ModelProto.graph", ex.Message);
    }

    [Fact]
    public void Inspect_SubgraphsNestedWithinTheLimit_AreRead()
    {
        var bytes = ProtoBytes.Model(NestedGraph(OnnxFileInspector.MaxGraphDepth, ExternalInitializer("deep", "deep.bin")));

        var info = OnnxFileInspector.Inspect(bytes);

        Assert.Equal(new OnnxExternalDataReference("deep", "deep.bin"), Assert.Single(info.ExternalData));
    }

    [Fact]
    public void Inspect_HostileDeeplyNestedSubgraphs_AreRejectedWithoutStackOverflow()
    {
        var bytes = ProtoBytes.Model(NestedGraph(5000, ExternalInitializer("deep", "deep.bin")));

        var ex = Assert.Throws<InvalidDataException>(() => OnnxFileInspector.Inspect(bytes));

        Assert.Contains($"nest deeper than {OnnxFileInspector.MaxGraphDepth}", ex.Message);
    }

    [Fact]
    public void Inspect_ExternalTensorInGraphsListAndSparseInitializer_IsFound()
    {
        // AttributeProto.graphs (11) holding a graph with an external sparse initializer (values field 1).
        var sparse = ProtoBytes.Message(15, ProtoBytes.Message(1, ExternalInitializerBody("sparse_values", "../sparse.bin")));
        var node = ProtoBytes.Message(1, ProtoBytes.Message(5, ProtoBytes.Message(11, sparse)));
        var bytes = ProtoBytes.Model([.. ProtoBytes.String(2, "main"), .. node]);

        var info = OnnxFileInspector.Inspect(bytes);

        var reference = Assert.Single(info.ExternalData);
        Assert.Equal("sparse_values", reference.TensorName);
        Assert.True(reference.EscapesFolder);
    }

    private static byte[] NestedGraph(int depth, byte[] innermost)
    {
        // graph { node { attribute { g: graph { ... } } } }, built from the inside out.
        var graph = innermost;
        for (var i = 0; i < depth; i++)
        {
            graph = ProtoBytes.Message(1, ProtoBytes.Message(5, ProtoBytes.Message(6, graph)));
        }

        return graph;
    }

    private static byte[] ExternalInitializer(string name, string location) =>
        ProtoBytes.Message(5, ExternalInitializerBody(name, location));

    private static byte[] ExternalInitializerBody(string name, string location) =>
    [
        .. ProtoBytes.VarintField(2, 1),
        .. ProtoBytes.String(8, name),
        .. ProtoBytes.Message(13, [.. ProtoBytes.String(1, "location"), .. ProtoBytes.String(2, location)]),
        .. ProtoBytes.VarintField(14, 1),
    ];
}
