using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>Request reader -> real identity model -> response writer, for every datatype, in JSON and binary.</summary>
public sealed class V2RoundTripTests
{
    [Fact]
    public void AllTypes_JsonRoundTrip_ThroughIdentityModel_ReturnsTheSameValues()
    {
        using var model = ProtocolTestKit.Load("identity_all_types.onnx");
        var request = ProtocolTestKit.Read(IdentityRequests.All(nested: false, "\"id\": \"req-7\", "));

        var outputs = model.Run(request.Inputs, request.OutputNames, CancellationToken.None);
        var (json, tail, headerLength) = ProtocolTestKit.Write(new InferenceResponse("identity", "1", request.Id, null, outputs), request);

        Assert.Null(headerLength);
        Assert.Empty(tail);
        var root = json.RootElement;
        Assert.Equal("identity", root.GetProperty("model_name").GetString());
        Assert.Equal("1", root.GetProperty("model_version").GetString());
        Assert.Equal("req-7", root.GetProperty("id").GetString());
        Assert.Equal(14, root.GetProperty("outputs").GetArrayLength());

        // Feed the response's data back in as a request: every value must come back bit for bit.
        var again = ProtocolTestKit.Read(ResponseAsRequest(root));
        foreach (var input in request.Inputs)
        {
            var echoed = ProtocolTestKit.Find(again.Inputs, input.Name);
            ProtocolTestKit.AssertSameValues(input, echoed);
        }
    }

    [Fact]
    public void AllTypes_JsonOutput_UsesProtocolTextForms()
    {
        using var model = ProtocolTestKit.Load("identity_all_types.onnx");
        var request = ProtocolTestKit.Read(IdentityRequests.All(nested: true));

        var outputs = model.Run(request.Inputs, null, CancellationToken.None);
        var (json, _, _) = ProtocolTestKit.Write(new InferenceResponse("identity", null, null, null, outputs), request);

        var byName = json.RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.False(json.RootElement.TryGetProperty("model_version", out _));
        Assert.False(json.RootElement.TryGetProperty("id", out _));
        Assert.Equal("[true,false,true,true,false,false]", byName["out_bool"].GetProperty("data").GetRawText());
        Assert.Equal("[0,18446744073709551615,1,2,3,4]", byName["out_uint64"].GetProperty("data").GetRawText());
        // Shortest text that reads back as the same half: 65504 prints as 65500 (the nearest FP16 to 65500 is 65504).
        Assert.Equal("[0.1,-2.5,65500,6.1E-05,0,1]", byName["out_fp16"].GetProperty("data").GetRawText());
        Assert.StartsWith("[0.1,-3.4028235E+38,", byName["out_fp32"].GetProperty("data").GetRawText());
        Assert.Equal("[1,-2,0.5,3.140625,0,-0.25]", byName["out_bf16"].GetProperty("data").GetRawText());
        Assert.Equal(["a", "h\u00e9llo", "", "\"quoted\"", "\u65e5\u672c", "tab\t"],
            byName["out_bytes"].GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("[2,3]", byName["out_int8"].GetProperty("shape").GetRawText());
        Assert.Equal("INT8", byName["out_int8"].GetProperty("datatype").GetString());
    }

    [Fact]
    public void AllTypes_BinaryRoundTrip_ThroughIdentityModel_ReturnsTheSameBytes()
    {
        using var model = ProtocolTestKit.Load("identity_all_types.onnx");
        var reference = ProtocolTestKit.Read(IdentityRequests.All(nested: false)).Inputs;
        var (body, jsonLength) = ProtocolTestKit.BinaryBody(reference, "\"parameters\": {\"binary_data_output\": true}, ");

        var request = V2RequestReader.Read(body, jsonLength, new ProtocolLimits());
        Assert.True(request.BinaryDataOutput);
        Assert.NotNull(request.InputParameters);
        Assert.Equal(14, request.InputParameters!.Count);
        foreach (var input in reference)
        {
            ProtocolTestKit.AssertSameValues(input, ProtocolTestKit.Find(request.Inputs, input.Name));
        }

        var outputs = model.Run(request.Inputs, null, CancellationToken.None);
        var (json, tail, headerLength) = ProtocolTestKit.Write(new InferenceResponse("identity", null, null, null, outputs), request);

        Assert.NotNull(headerLength);
        var offset = 0;
        foreach (var output in json.RootElement.GetProperty("outputs").EnumerateArray())
        {
            Assert.False(output.TryGetProperty("data", out _));
            var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
            var name = output.GetProperty("name").GetString()!;
            var input = ProtocolTestKit.Find(reference, "in_" + name["out_".Length..]);
            Assert.Equal(ProtocolTestKit.BinaryOf(input), tail.AsSpan(offset, size).ToArray());
            offset += size;
        }

        Assert.Equal(tail.Length, offset);
    }

    [Fact]
    public void OutputSelection_ReturnsOnlyNamedOutputs_MixingBinaryAndJson()
    {
        using var model = ProtocolTestKit.Load("identity_all_types.onnx");
        var outputsField = "\"outputs\": [{\"name\": \"out_int64\"}, {\"name\": \"out_fp32\", \"parameters\": {\"binary_data\": true}}], ";
        var request = ProtocolTestKit.Read(IdentityRequests.All(nested: false, outputsField));

        var outputs = model.Run(request.Inputs, request.OutputNames, CancellationToken.None);
        var (json, tail, headerLength) = ProtocolTestKit.Write(new InferenceResponse("identity", null, null, null, outputs), request);

        var list = json.RootElement.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(["out_int64", "out_fp32"], list.Select(o => o.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(5, list[0].GetProperty("data")[5].GetInt64());
        Assert.Equal(24, list[1].GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(24, tail.Length);
        Assert.NotNull(headerLength);
        Assert.Equal(0.1f, BinaryPrimitives.ReadSingleLittleEndian(tail));
    }

    [Fact]
    public void BinaryDataFalseOnAnOutput_OverridesRequestDefault()
    {
        var request = ProtocolTestKit.Read("""
            {"parameters": {"binary_data_output": true},
             "inputs": [{"name": "x", "shape": [1], "datatype": "INT32", "data": [1]}],
             "outputs": [{"name": "a", "parameters": {"binary_data": false}}, {"name": "b"}]}
            """);

        Assert.False(request.IsBinaryOutput("a"));
        Assert.True(request.IsBinaryOutput("b"));
        Assert.True(request.IsBinaryOutput("unnamed"));
    }

    [Fact]
    public void Writer_NonFiniteFloats_AreWrittenAsNamedStrings_AndReadBack()
    {
        var tensor = NamedTensor.FromArray("x", TensorDataType.Float32, [3], [float.NaN, float.PositiveInfinity, float.NegativeInfinity]);
        var (json, _, _) = ProtocolTestKit.Write(new InferenceResponse("m", null, null, null, [tensor]), ProtocolTestKit.Read("""{"inputs": []}"""));

        var data = json.RootElement.GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal("[\"NaN\",\"Infinity\",\"-Infinity\"]", data.GetRawText());
        var back = ProtocolTestKit.Read($$"""{"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "data": {{data.GetRawText()}}}]}""");
        ProtocolTestKit.AssertSameValues(tensor, back.Inputs[0]);
    }

    private static string ResponseAsRequest(JsonElement response)
    {
        var inputs = new List<string>();
        foreach (var output in response.GetProperty("outputs").EnumerateArray())
        {
            var name = "in_" + output.GetProperty("name").GetString()!["out_".Length..];
            inputs.Add($"{{\"name\": \"{name}\", \"datatype\": {output.GetProperty("datatype").GetRawText()}, " +
                       $"\"shape\": {output.GetProperty("shape").GetRawText()}, \"data\": {output.GetProperty("data").GetRawText()}}}");
        }

        return new StringBuilder("{\"inputs\": [").AppendJoin(", ", inputs).Append("]}").ToString();
    }
}
