using System.Buffers;
using System.Text;
using System.Text.Json;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>The V1 :predict forms against real models: iris.onnx (one input) and multi_input.onnx (four).</summary>
public sealed class V1PredictCodecTests
{
    private static V1PredictRequest Read(OnnxModel model, string json) =>
        V1PredictCodec.ReadRequest(Encoding.UTF8.GetBytes(json), model.Signature, new ProtocolLimits());

    private static JsonElement Answer(OnnxModel model, V1PredictRequest request)
    {
        var outputs = model.Run(request.Inputs, null, CancellationToken.None);
        var buffer = new ArrayBufferWriter<byte>();
        V1PredictCodec.WriteResponse(buffer, request, outputs);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    [Fact]
    public void Iris_Instances_GiveOnePredictionPerRow()
    {
        using var model = ProtocolTestKit.Load("iris.onnx");
        var request = Read(model, """{"instances": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 2.8, 4.3, 1.3]]}""");

        Assert.False(request.IsColumnar);
        Assert.Equal(3, request.Instances);
        var features = Assert.Single(request.Inputs);
        Assert.Equal("features", features.Name);
        Assert.Equal([3L, 4], features.Shape);
        Assert.Equal(6.7f, features.AsSpan<float>()[4]);

        var predictions = Answer(model, request).GetProperty("predictions");
        Assert.Equal(3, predictions.GetArrayLength());
        foreach (var row in predictions.EnumerateArray())
        {
            var probabilities = row.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            Assert.Equal(3, probabilities.Length);
            Assert.Equal(1.0, probabilities.Sum(), 5);
            var label = row.GetProperty("label").GetInt64();
            Assert.Equal(Array.IndexOf(probabilities, probabilities.Max()), label);
        }
    }

    [Fact]
    public void Iris_ObjectInstances_MatchPlainRows()
    {
        using var model = ProtocolTestKit.Load("iris.onnx");
        var rows = Read(model, """{"instances": [[5.1, 3.5, 1.4, 0.2]]}""");
        var objects = Read(model, """{"instances": [{"features": [5.1, 3.5, 1.4, 0.2]}]}""");

        ProtocolTestKit.AssertSameValues(rows.Inputs[0], objects.Inputs[0]);
        Assert.Equal(Answer(model, rows).GetRawText(), Answer(model, objects).GetRawText());
    }

    [Fact]
    public void Iris_ColumnarInputs_AnswerWithOutputs()
    {
        using var model = ProtocolTestKit.Load("iris.onnx");
        var request = Read(model, """{"inputs": {"features": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}}""");

        Assert.True(request.IsColumnar);
        var outputs = Answer(model, request).GetProperty("outputs");
        Assert.Equal(2, outputs.GetProperty("probabilities").GetArrayLength());
        Assert.Equal(3, outputs.GetProperty("probabilities")[0].GetArrayLength());
        Assert.Equal(2, outputs.GetProperty("label").GetArrayLength());
    }

    [Fact]
    public void MultiInput_ObjectInstances_StackRowsAndShareTheUnbatchedInput()
    {
        using var model = ProtocolTestKit.Load("multi_input.onnx");
        var request = Read(model, """
            {"instances": [
              {"x": [1, 2, 3], "scale": [2.0], "offset": [10, 20, 30], "mask": [true, false, true]},
              {"mask": [false, true, true], "x": [4, 5, 6], "scale": [2], "offset": [1, 1, 1]}]}
            """);

        Assert.Equal(2, request.Instances);
        Assert.Equal([2L, 3], ProtocolTestKit.Find(request.Inputs, "x").Shape);
        Assert.Equal([1L], ProtocolTestKit.Find(request.Inputs, "scale").Shape);
        Assert.Equal(TensorDataType.Int32, ProtocolTestKit.Find(request.Inputs, "offset").DataType);

        var predictions = Answer(model, request).GetProperty("predictions");
        // y = where(mask, x * scale + offset, 0); count = true cells over the whole batch, repeated per row.
        Assert.Equal("[12,0,36]", predictions[0].GetProperty("y").GetRawText());
        Assert.Equal("[0,11,13]", predictions[1].GetProperty("y").GetRawText());
        Assert.Equal(4, predictions[0].GetProperty("count").GetInt64());
        Assert.Equal(4, predictions[1].GetProperty("count").GetInt64());
    }

    [Fact]
    public void MultiInput_Columnar_ReadsEveryInputByName()
    {
        using var model = ProtocolTestKit.Load("multi_input.onnx");
        var request = Read(model, """{"inputs": {"x": [[1, 2, 3]], "scale": [0.5], "offset": [[0, 0, 1]], "mask": [[true, true, true]]}}""");

        var outputs = Answer(model, request).GetProperty("outputs");
        Assert.Equal("[[0.5,1,2.5]]", outputs.GetProperty("y").GetRawText());
        Assert.Equal(3, outputs.GetProperty("count").GetInt64());
    }

    [Theory]
    [InlineData("iris.onnx", """{"instances": [[5.1, 3.5, 1.4]]}""", "features", "shape [1, 3], but the model expects [-1, 4]")]
    [InlineData("iris.onnx", """{"instances": [[5.1, 3.5, 1.4, 0.2], [1, 2, 3]]}""", "features", "3 entries at level 2")]
    [InlineData("iris.onnx", """{"instances": [[5.1, 3.5, 1.4, "a"]]}""", "features", "is a string, not a number")]
    [InlineData("iris.onnx", """{"instances": [{"petals": [1, 2, 3, 4]}]}""", "petals", "not an input of the model")]
    [InlineData("multi_input.onnx", """{"instances": [{"x": [1, 2, 3], "scale": [2], "offset": [1, 1, 1]}]}""", "mask", "missing from instance 0")]
    [InlineData("multi_input.onnx", """{"instances": [{"x": [1, 2, 3], "scale": [2], "offset": [1, 1, 1], "mask": [true, true, true]}, {"x": [1, 2, 3], "scale": [3], "offset": [1, 1, 1], "mask": [true, true, true]}]}""", "scale", "instance 1 differs")]
    [InlineData("multi_input.onnx", """{"instances": [{"x": [1, 2, 3], "scale": [2], "offset": [1.5, 1, 1], "mask": [true, true, true]}]}""", "offset", "not an integer")]
    [InlineData("multi_input.onnx", """{"inputs": {"x": [[1, 2, 3]], "scale": [2], "offset": [[1, 1, 1]]}}""", "mask", "missing from 'inputs'")]
    public void BadRequest_IsRejected_NamingTheInput(string modelFile, string json, string input, string fragment)
    {
        using var model = ProtocolTestKit.Load(modelFile);

        var error = Assert.Throws<ProtocolException>(() => Read(model, json));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(input, error.TensorName);
        Assert.Contains($"'{input}'", error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Theory]
    [InlineData("""{"instances": []}""", "'instances' is empty")]
    [InlineData("""{"instances": 5}""", "'instances' must be a JSON array")]
    [InlineData("""{"signature_name": "serving_default"}""", "neither 'instances' nor 'inputs'")]
    [InlineData("""{"instances": [[1]], "inputs": [[1]]}""", "both 'instances' and 'inputs'")]
    [InlineData("""{"instances": [[1, 2, 3]]}""", "each instance must be an object")]
    public void MalformedBody_IsABadRequest(string json, string fragment)
    {
        using var model = ProtocolTestKit.Load("multi_input.onnx");

        var error = Assert.Throws<ProtocolException>(() => Read(model, json));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(fragment, error.Message);
    }
}
