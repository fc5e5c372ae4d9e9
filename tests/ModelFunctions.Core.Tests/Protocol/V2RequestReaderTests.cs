using System.Text;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

public sealed class V2RequestReaderTests
{
    private static string One(string datatype, string shape, string data) =>
        $$"""{"inputs": [{"name": "x", "shape": {{shape}}, "datatype": "{{datatype}}", "data": {{data}}}]}""";

    [Fact]
    public void FlatAndNestedData_GiveTheSameTensor()
    {
        var flat = ProtocolTestKit.Read(One("FP32", "[2, 2, 2]", "[1, 2, 3, 4, 5, 6, 7, 8]")).Inputs[0];
        var nested = ProtocolTestKit.Read(One("FP32", "[2, 2, 2]", "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]")).Inputs[0];

        Assert.Equal([2L, 2, 2], nested.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], nested.AsSpan<float>().ToArray());
        ProtocolTestKit.AssertSameValues(flat, nested);
    }

    [Fact]
    public void DataBeforeShapeAndDatatype_IsStillDecoded()
    {
        var input = ProtocolTestKit.Read("""{"inputs": [{"data": [[1, 2], [3, 4]], "name": "x", "datatype": "INT16", "shape": [2, 2]}]}""").Inputs[0];

        Assert.Equal(TensorDataType.Int16, input.DataType);
        Assert.Equal(new short[] { 1, 2, 3, 4 }, input.AsSpan<short>().ToArray());
    }

    [Fact]
    public void ScalarShapes_AcceptABareValueOrOneElementArray()
    {
        Assert.Equal([7L], ProtocolTestKit.Read(One("INT64", "[]", "7")).Inputs[0].AsSpan<long>().ToArray());
        Assert.Equal([7L], ProtocolTestKit.Read(One("INT64", "[]", "[7]")).Inputs[0].AsSpan<long>().ToArray());
        Assert.Empty(ProtocolTestKit.Read(One("INT64", "[0, 3]", "[]")).Inputs[0].AsSpan<long>().ToArray());
    }

    [Fact]
    public void IdParametersAndOutputs_AreKept_UnknownFieldsIgnored()
    {
        var request = ProtocolTestKit.Read("""
            {"model_name": "ignored", "id": "abc", "parameters": {"priority": 3, "tags": {"a": [1]}},
             "inputs": [{"name": "x", "shape": [1], "datatype": "BOOL", "parameters": {"note": "hi"}, "extra": {"deep": [1, [2]]}, "data": [true]}],
             "outputs": [{"name": "y", "parameters": {"binary_data": true, "classification": 2}}]}
            """);

        Assert.Equal("abc", request.Id);
        Assert.Equal(3, request.Parameters!["priority"].GetInt32());
        Assert.Equal(1, request.Parameters["tags"].GetProperty("a")[0].GetInt32());
        Assert.Equal("hi", request.InputParameters!["x"]["note"].GetString());
        Assert.False(request.BinaryDataOutput);
        var output = Assert.Single(request.Outputs!);
        Assert.Equal("y", output.Name);
        Assert.True(output.Binary);
        Assert.Equal(2, output.Parameters!["classification"].GetInt32());
        Assert.Equal(["y"], request.OutputNames!);
    }

    [Fact]
    public void NonFiniteStrings_AreAccepted_UnlessTheLimitsRejectThem()
    {
        var input = ProtocolTestKit.Read(One("FP64", "[3]", "[\"NaN\", \"Infinity\", \"-Infinity\"]")).Inputs[0];
        Assert.True(double.IsNaN(input.AsSpan<double>()[0]));
        Assert.Equal(double.NegativeInfinity, input.AsSpan<double>()[2]);

        var error = ProtocolTestKit.ReadFails(One("FP64", "[1]", "[\"NaN\"]"), new ProtocolLimits { RejectNonFinite = true });
        Assert.Equal("x", error.TensorName);
        Assert.Contains("not finite", error.Message);
    }

    [Theory]
    [InlineData("UINT8", "[1]", "[300]", "300, not an integer from 0 to 255")]
    [InlineData("INT8", "[1]", "[-129]", "-129, not an integer from -128 to 127")]
    [InlineData("UINT64", "[1]", "[-1]", "not an integer from 0 to")]
    [InlineData("UINT16", "[2]", "[1, 65536]", "element 1 is 65536")]
    [InlineData("INT32", "[1]", "[1.5]", "1.5, not an integer")]
    [InlineData("INT64", "[1]", "[1e3]", "not an integer")]
    [InlineData("BOOL", "[1]", "[1]", "not true or false")]
    [InlineData("FP32", "[1]", "[\"abc\"]", "is a string, not a number")]
    [InlineData("FP32", "[1]", "[1e39]", "outside the FP32 range")]
    [InlineData("FP16", "[1]", "[70000]", "outside the FP16 range")]
    [InlineData("BF16", "[1]", "[true]", "not a number")]
    [InlineData("FP64", "[1]", "[null]", "not a number")]
    [InlineData("BYTES", "[1]", "[5]", "not a JSON string")]
    [InlineData("FP32", "[3]", "[1, 2]", "has 2 data elements, but its shape [3] needs 3")]
    [InlineData("FP32", "[2]", "[1, 2, 3]", "more data elements than its shape allows")]
    [InlineData("FP32", "[2, 2]", "[[1, 2, 3], [4]]", "3 entries at level 2")]
    [InlineData("FP32", "[2, 2]", "[[1], [2]]", "1 entries at level 2")]
    [InlineData("FP32", "[3, 2]", "[[1, 2], [3, 4]]", "2 entries at level 1")]
    [InlineData("FP32", "[2, 2]", "[[1, 2], [3, 4], [5, 6]]", "more data elements than its shape allows")]
    [InlineData("FP32", "[2, 2]", "[[1, 2], 3, 4]", "ragged")]
    [InlineData("FP32", "[4]", "[1, [2, 3], 4]", "ragged")]
    [InlineData("FP32", "[2, 2, 1]", "[[1, 2], [3, 4]]", "nested 2 levels deep")]
    [InlineData("FP32", "[2]", "{\"a\": 1}", "single value as data")]
    [InlineData("FP32", "[-1, 2]", "[1, 2]", "negative dimension -1")]
    [InlineData("FP32", "[1.5]", "[1]", "not an array of integers")]
    [InlineData("FP32", "\"2\"", "[1, 2]", "not an array of integers")]
    [InlineData("FP32", "[100000000]", "[1]", "more than the limit of 16777216 elements")]
    [InlineData("FP32", "[9223372036854775807, 9223372036854775807]", "[1]", "more than the limit")]
    [InlineData("FP32", "[4000000, 0]", "[]", null)]
    [InlineData("FP32", "[1000]", "[1]", "more than the")]
    [InlineData("FLOAT", "[1]", "[1]", "unknown datatype 'FLOAT'")]
    [InlineData("FP32", "[1]", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "nested deeper than the limit of 32")]
    public void BadInput_IsRejected_NamingTheInput(string datatype, string shape, string data, string? fragment)
    {
        var json = One(datatype, shape, data);
        if (fragment is null)
        {
            // Control case: a valid edge (zero elements) is accepted.
            Assert.Single(ProtocolTestKit.Read(json).Inputs);
            return;
        }

        var error = ProtocolTestKit.ReadFails(json);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("x", error.TensorName);
        Assert.Contains("Input 'x'", error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Theory]
    [InlineData("""{"inputs": [{"name": "x", "datatype": "FP32", "data": [1]}]}""", "has no 'shape'")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "data": [1]}]}""", "has no 'datatype'")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32"}]}""", "has no 'data'")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}, {"name": "x", "shape": [1], "datatype": "FP32", "data": [2]}]}""", "more than once")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1], "parameters": {"binary_data_size": 4}}]}""", "both 'data' and a binary_data_size")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "parameters": {"binary_data_size": 4}}]}""", "no Inference-Header-Content-Length")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "parameters": {"binary_data_size": "4"}}]}""", "not a non-negative integer")]
    public void IncompleteInput_IsRejected_NamingTheInput(string json, string fragment)
    {
        var error = ProtocolTestKit.ReadFails(json);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("x", error.TensorName);
        Assert.Contains(fragment, error.Message);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{\"inputs\": [}", "not valid JSON")]
    [InlineData("{}", "no 'inputs'")]
    [InlineData("{\"inputs\": {}}", "'inputs' must be a JSON array")]
    [InlineData("{\"inputs\": [1]}", "Input 0 must be a JSON object")]
    [InlineData("{\"inputs\": [{\"shape\": [1]}]}", "Input 0 has no 'name'")]
    [InlineData("{\"inputs\": []} x", "not valid JSON")]
    [InlineData("{\"id\": 5, \"inputs\": []}", "'id' of the request must be a JSON string")]
    [InlineData("{\"parameters\": {\"binary_data_output\": 1}, \"inputs\": []}", "'binary_data_output' of the request must be true or false")]
    [InlineData("{\"inputs\": [], \"outputs\": [{\"name\": \"y\"}, {\"name\": \"y\"}]}", "Output 'y' is requested more than once")]
    [InlineData("{\"inputs\": [], \"outputs\": [{\"parameters\": {}}]}", "Output 0 has no 'name'")]
    [InlineData("{\"inputs\": [], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": \"yes\"}}]}", "'binary_data' of output 'y' must be true or false")]
    public void MalformedRequest_IsABadRequestSayingWhy(string json, string fragment)
    {
        var error = ProtocolTestKit.ReadFails(json);

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void TooManyInputs_AreRejected()
    {
        var inputs = string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""{"name": "x{{i}}", "shape": [1], "datatype": "INT8", "data": [1]}"""));
        var error = ProtocolTestKit.ReadFails($$"""{"inputs": [{{inputs}}]}""", new ProtocolLimits { MaxInputs = 2 });

        Assert.Contains("more than 2 inputs", error.Message);
    }

    [Fact]
    public void BodyOverTheLimit_Is413()
    {
        var error = ProtocolTestKit.ReadFails(One("INT8", "[1]", "[1]"), new ProtocolLimits { MaxBodyBytes = 10 });

        Assert.Equal(413, error.StatusCode);
    }

    [Fact]
    public void InvalidUtf8InAName_IsABadRequest()
    {
        var body = Encoding.UTF8.GetBytes(One("INT8", "[1]", "[1]"));
        var at = Array.IndexOf(body, (byte)'x');
        body[at] = 0xFF;

        var error = Assert.Throws<ProtocolException>(() => V2RequestReader.Read(body, null, new ProtocolLimits()));
        Assert.Equal(400, error.StatusCode);
    }
}
