using System.Buffers.Binary;
using System.Text;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>The binary tensor data extension on the request side: sizes, order, BYTES framing.</summary>
public sealed class BinaryTensorDataTests
{
    private static readonly NamedTensor Ints = NamedTensor.FromArray("a", TensorDataType.Int32, [2], [7, -8]);
    private static readonly NamedTensor Words = NamedTensor.FromStrings("b", [2], ["hi", ""]);

    [Fact]
    public void MixedJsonAndBinaryInputs_TakeTheTailInInputOrder()
    {
        var tail = ProtocolTestKit.BinaryOf(Ints).Concat(ProtocolTestKit.BinaryOf(Words)).ToArray();
        var json = Encoding.UTF8.GetBytes("""
            {"inputs": [
              {"name": "a", "shape": [2], "datatype": "INT32", "parameters": {"binary_data_size": 8}},
              {"name": "c", "shape": [1], "datatype": "FP32", "data": [1.5]},
              {"name": "b", "shape": [2], "datatype": "BYTES", "parameters": {"binary_data_size": 10}}]}
            """);

        var request = V2RequestReader.Read([.. json, .. tail], json.Length, new ProtocolLimits());

        ProtocolTestKit.AssertSameValues(Ints, request.Inputs[0]);
        Assert.Equal(1.5f, request.Inputs[1].AsSpan<float>()[0]);
        ProtocolTestKit.AssertSameValues(Words, request.Inputs[2]);
    }

    [Fact]
    public void TailLongerThanDeclared_IsRejected()
    {
        var (body, header) = ProtocolTestKit.BinaryBody([Ints]);

        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read([.. body, 0, 0], header, new ProtocolLimits()));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("carries 10 bytes of binary data", error.Message);
        Assert.Contains("add up to 8", error.Message);
    }

    [Fact]
    public void TailShorterThanDeclared_IsRejectedNamingTheInput()
    {
        var (body, header) = ProtocolTestKit.BinaryBody([Ints, Words]);

        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read(body.AsSpan(0, body.Length - 1), header, new ProtocolLimits()));

        Assert.Equal("b", error.TensorName);
        Assert.Contains("only 9 bytes of binary data remain", error.Message);
    }

    [Fact]
    public void SizeThatDoesNotFitTheShape_IsRejectedNamingTheInput()
    {
        var json = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "a", "shape": [3], "datatype": "INT32", "parameters": {"binary_data_size": 8}}]}""");

        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read([.. json, .. ProtocolTestKit.BinaryOf(Ints)], json.Length, new ProtocolLimits()));

        Assert.Equal("a", error.TensorName);
        Assert.Contains("3 INT32 elements of shape [3] take 12 bytes", error.Message);
    }

    [Theory]
    [InlineData(100, "length 100, longer than")]
    [InlineData(2, "after its 1 BYTES elements")]
    public void BadBytesFraming_IsRejectedNamingTheInput(uint declaredLength, string fragment)
    {
        var element = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(element, declaredLength);
        var json = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "s", "shape": [1], "datatype": "BYTES", "parameters": {"binary_data_size": 8}}]}""");

        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read([.. json, .. element], json.Length, new ProtocolLimits()));

        Assert.Equal("s", error.TensorName);
        Assert.Contains(fragment, error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100000)]
    public void HeaderLengthOutsideTheBody_IsRejected(int headerLength)
    {
        var (body, _) = ProtocolTestKit.BinaryBody([Ints]);

        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read(body, headerLength, new ProtocolLimits()));

        Assert.Contains("Inference-Header-Content-Length", error.Message);
    }

    [Fact]
    public void NonFiniteBinaryFloats_AreRejectedWhenConfigured()
    {
        var tensor = NamedTensor.FromArray("f", TensorDataType.Float32, [2], [1f, float.NaN]);
        var (body, header) = ProtocolTestKit.BinaryBody([tensor]);

        Assert.True(float.IsNaN(V2RequestReader.Read(body, header, new ProtocolLimits()).Inputs[0].AsSpan<float>()[1]));
        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read(body, header, new ProtocolLimits { RejectNonFinite = true }));
        Assert.Contains("binary element 1 is not finite", error.Message);
    }
}
