using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Inference;

public sealed class OnnxRuntimeEngineTests
{
    [Fact]
    public void Load_IrisClassifier_ExposesSignatureWithDynamicBatch()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("iris.onnx"), "iris");

        var input = Assert.Single(model.Signature.Inputs);
        Assert.Equal("features", input.Name);
        Assert.Equal(TensorDataType.Float32, input.DataType);
        Assert.Equal(new long[] { -1, 4 }, input.Shape);
        Assert.Equal(["probabilities", "label"], model.Signature.Outputs.Select(o => o.Name));
        Assert.Equal(TensorDataType.Int64, model.Signature.Outputs[1].DataType);
        Assert.Equal(new long[] { -1 }, model.Signature.Outputs[1].Shape);
        Assert.Equal("modelfunctions-tests", model.Signature.Metadata.ProducerName);
        Assert.Equal("setosa,versicolor,virginica", model.Signature.Metadata.Custom["classes"]);
        Assert.Equal(ExecutionProviderKind.Cpu, model.ExecutionProvider);
    }

    [Fact]
    public void Run_IrisClassifier_GivesProbabilitiesThatSumToOneAndMatchTheLabel()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("iris.onnx"), "iris");
        float[] rows = [5.0f, 3.4f, 1.5f, 0.2f, 6.7f, 3.0f, 5.6f, 2.1f, 5.9f, 2.8f, 4.3f, 1.3f];

        var outputs = model.Run([NamedTensor.FromArray("features", TensorDataType.Float32, [3, 4], rows)], null, CancellationToken.None);

        var probabilities = outputs[0].AsSpan<float>();
        var labels = outputs[1].AsSpan<long>().ToArray();
        Assert.Equal(new long[] { 3, 3 }, outputs[0].Shape);
        for (var row = 0; row < 3; row++)
        {
            var p = probabilities.Slice(row * 3, 3).ToArray();
            Assert.Equal(1.0, p.Sum(), 4);
            Assert.Equal(Array.IndexOf(p, p.Max()), labels[row]);
        }

        Assert.Equal(new long[] { 0, 2, 1 }, labels);
    }

    [Fact]
    public void Run_SelectedOutput_ReturnsOnlyThatOutput()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("iris.onnx"), "iris");

        var outputs = model.Run([NamedTensor.FromArray("features", TensorDataType.Float32, [1, 4], new[] { 5f, 3f, 1f, 0.2f })], ["label"], CancellationToken.None);

        Assert.Equal("label", Assert.Single(outputs).Name);
    }

    [Theory]
    [InlineData(TensorDataType.Bool)]
    [InlineData(TensorDataType.UInt8)]
    [InlineData(TensorDataType.UInt16)]
    [InlineData(TensorDataType.UInt32)]
    [InlineData(TensorDataType.UInt64)]
    [InlineData(TensorDataType.Int8)]
    [InlineData(TensorDataType.Int16)]
    [InlineData(TensorDataType.Int32)]
    [InlineData(TensorDataType.Int64)]
    [InlineData(TensorDataType.Float16)]
    [InlineData(TensorDataType.Float32)]
    [InlineData(TensorDataType.Float64)]
    [InlineData(TensorDataType.BFloat16)]
    public void Run_EveryFixedSizeType_RoundTripsItsBytes(TensorDataType type)
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("identity_all_types.onnx"), "identity");
        var name = type.ToProtocolName().ToLowerInvariant();
        var bytes = new byte[2 * 3 * type.ElementSize()];
        new Random(42).NextBytes(bytes);
        if (type == TensorDataType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }

        var inputs = AllTypeInputs(model.Signature, name, new NamedTensor($"in_{name}", type, [2, 3], bytes));
        var outputs = model.Run(inputs, [$"out_{name}"], CancellationToken.None);

        var output = Assert.Single(outputs);
        Assert.Equal(type, output.DataType);
        Assert.Equal(new long[] { 2, 3 }, output.Shape);
        Assert.Equal(bytes, output.Data.ToArray());
    }

    [Fact]
    public void Run_StringTensor_RoundTripsUtf8()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("string_input.onnx"), "strings");

        var outputs = model.Run([NamedTensor.FromStrings("text", [4], ["hello", "ünïcode", "", "yes"])], null, CancellationToken.None);

        var echo = outputs[0];
        Assert.Equal(TensorDataType.Bytes, echo.DataType);
        Assert.Equal(["hello", "ünïcode", "", "yes"], echo.Strings!.Select(s => System.Text.Encoding.UTF8.GetString(s.Span)));
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, outputs[1].Data.ToArray());
    }

    [Fact]
    public void Run_MultipleInputsOfDifferentTypes_ComputesTheGraph()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("multi_input.onnx"), "multi");

        var outputs = model.Run(
            [
                NamedTensor.FromArray("x", TensorDataType.Float32, [2, 3], new[] { 1f, 2f, 3f, 4f, 5f, 6f }),
                NamedTensor.FromArray("scale", TensorDataType.Float64, [1], new[] { 2.0 }),
                NamedTensor.FromArray("offset", TensorDataType.Int32, [2, 3], new[] { 1, 1, 1, -1, -1, -1 }),
                NamedTensor.FromArray("mask", TensorDataType.Bool, [2, 3], new byte[] { 1, 0, 1, 1, 1, 0 }),
            ],
            null,
            CancellationToken.None);

        Assert.Equal(new[] { 3f, 0f, 7f, 7f, 9f, 0f }, outputs[0].AsSpan<float>().ToArray());
        Assert.Equal(4L, outputs[1].AsSpan<long>()[0]);
        Assert.Empty(outputs[1].Shape);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    public void Run_DynamicBatch_AcceptsAnyBatchSize(int batch)
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var x = Enumerable.Range(0, batch * 256).Select(i => (float)Math.Sin(i)).ToArray();

        var y = Assert.Single(model.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [batch, 256], x)], null, CancellationToken.None));

        Assert.Equal(new long[] { batch, 10 }, y.Shape);
        Assert.All(y.AsSpan<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Run_RowsOfABatch_MatchRowsRunAlone()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var x = Enumerable.Range(0, 4 * 256).Select(i => (float)Math.Cos(i * 0.1)).ToArray();

        var batched = model.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [4, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();
        var third = model.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [1, 256], x[512..768])], null, CancellationToken.None)[0].AsSpan<float>().ToArray();

        Assert.Equal(third, batched[20..30], new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Load_EmptyBytes_FailsClearly()
    {
        var error = Assert.Throws<ModelLoadException>(() => EngineFactory.Create().Load([], "empty"));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Load_TruncatedModel_FailsClearly()
    {
        var bytes = TestModels.Bytes("mlp.onnx");

        var error = Assert.Throws<ModelLoadException>(() => EngineFactory.Create().Load(bytes[..(bytes.Length / 2)], "truncated"));

        Assert.Contains("'truncated' could not be loaded", error.Message);
    }

    [Fact]
    public void Load_RandomBytes_FailsClearly()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);

        Assert.Throws<ModelLoadException>(() => EngineFactory.Create().Load(bytes, "random"));
    }

    [Fact]
    public void Load_MissingFile_FailsClearly()
    {
        var error = Assert.Throws<ModelLoadException>(() => EngineFactory.Create().LoadFile(Path.Combine(TestModels.Folder, "absent.onnx"), "absent"));
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void LoadFile_ExternalData_ResolvesBesideTheModel()
    {
        using var model = EngineFactory.Create().LoadFile(TestModels.Path("external_data.onnx"), "external");

        var y = model.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [4], new[] { 10f, 10f, 10f, 10f })], null, CancellationToken.None)[0];

        Assert.Equal(new[] { 11f, 12f, 13f, 14f }, y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Load_SequenceOutput_IsReportedAndRequestingItFailsNamingIt()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("sequence_output.onnx"), "seq");
        var parts = model.Signature.FindOutput("parts")!;
        Assert.False(parts.IsSupported);

        var x = NamedTensor.FromArray("x", TensorDataType.Float32, [2], new[] { 1f, 2f });
        var defaultRun = model.Run([x], null, CancellationToken.None);
        var error = Assert.Throws<InferenceInputException>(() => model.Run([x], ["parts"], CancellationToken.None));

        Assert.Equal("y", Assert.Single(defaultRun).Name);
        Assert.Equal("parts", error.TensorName);
        Assert.Contains("sequence", error.Message);
    }

    [Fact]
    public void Cuda_WithoutProviderLibrary_FallsBackToCpuAndLogsOnce()
    {
        var logger = new RecordingLogger<OnnxRuntimeEngine>();
        var engine = EngineFactory.Create(new OnnxRuntimeOptions { ExecutionProvider = ExecutionProviderKind.Cuda, DeviceId = 0 }, logger);

        using var first = engine.Load(TestModels.Bytes("iris.onnx"), "iris");
        using var second = engine.Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var outputs = first.Run([NamedTensor.FromArray("features", TensorDataType.Float32, [1, 4], new[] { 5f, 3f, 1f, 0.2f })], null, CancellationToken.None);

        Assert.Equal(ExecutionProviderKind.Cpu, first.ExecutionProvider);
        Assert.Equal(ExecutionProviderKind.Cpu, second.ExecutionProvider);
        Assert.True(engine.FellBackToCpu);
        Assert.Equal(2, outputs.Count);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("CUDA", warning.Message);
    }

    [Theory]
    [InlineData(1, GraphOptimization.Disabled)]
    [InlineData(2, GraphOptimization.Basic)]
    [InlineData(0, GraphOptimization.Extended)]
    public void SessionOptions_FromConfiguration_GiveTheSameResults(int threads, GraphOptimization level)
    {
        var x = Enumerable.Range(0, 256).Select(i => (float)Math.Sin(i)).ToArray();
        using var reference = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        using var configured = EngineFactory.Create(new OnnxRuntimeOptions { IntraOpThreads = threads, GraphOptimizationLevel = level }).Load(TestModels.Bytes("mlp.onnx"), "mlp");

        var expected = reference.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [1, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();
        var actual = configured.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [1, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();

        Assert.Equal(expected, actual, new FloatTolerance(1e-4f));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SessionOptions_SpinningOnOrOff_GiveTheSameResults(bool allowSpinning)
    {
        var x = Enumerable.Range(0, 4 * 256).Select(i => (float)Math.Cos(i)).ToArray();
        using var reference = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        using var configured = EngineFactory.Create(new OnnxRuntimeOptions { AllowSpinning = allowSpinning, IntraOpThreads = 2 }).Load(TestModels.Bytes("mlp.onnx"), "mlp");

        var expected = reference.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [4, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();
        var actual = configured.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [4, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();

        Assert.Equal(40, actual.Length);
        Assert.Equal(expected, actual, new FloatTolerance(1e-4f));
    }

    internal static NamedTensor[] AllTypeInputs(ModelSignature signature, string chosen, NamedTensor value) =>
        signature.Inputs.Select(spec => spec.Name == $"in_{chosen}" ? value : EmptyOf(spec)).ToArray();

    private static NamedTensor EmptyOf(TensorSpec spec) => spec.DataType == TensorDataType.Bytes
        ? new NamedTensor(spec.Name, TensorDataType.Bytes, [0, 0], ReadOnlyMemory<byte>.Empty, [])
        : new NamedTensor(spec.Name, spec.DataType!.Value, [0, 0], ReadOnlyMemory<byte>.Empty);
}
