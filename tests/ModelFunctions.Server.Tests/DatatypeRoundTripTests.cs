using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// Every V2 datatype through identity_all_types.onnx over HTTP: JSON flat and nested, JSON in with binary out, and
/// binary in (Triton style) with JSON out, each compared with what was sent.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DatatypeRoundTripTests(ServerFixture server)
{
    private const string Model = "identity";

    /// <summary>Input suffix, datatype, six elements (shape [2, 3]) as JSON text, edge values included.</summary>
    private static readonly (string Suffix, string DataType, string Data)[] Values =
    [
        ("bool", "BOOL", "true, false, true, true, false, false"),
        ("uint8", "UINT8", "0, 1, 127, 128, 254, 255"),
        ("uint16", "UINT16", "0, 1, 65535, 300, 2, 3"),
        ("uint32", "UINT32", "0, 4294967295, 7, 8, 9, 10"),
        ("uint64", "UINT64", "0, 18446744073709551615, 1, 2, 3, 4"),
        ("int8", "INT8", "-128, 127, 0, -1, 1, 5"),
        ("int16", "INT16", "-32768, 32767, 0, -1, 1, 5"),
        ("int32", "INT32", "-2147483648, 2147483647, 0, -1, 1, 5"),
        ("int64", "INT64", "-9223372036854775808, 9223372036854775807, 0, -1, 1, 5"),
        ("fp16", "FP16", "0.1, -2.5, 65504, 6.1e-05, 0, 1"),
        ("fp32", "FP32", "0.1, -3.4028235e38, 1.1754944e-38, 1e-45, 16777216, -2.5"),
        ("fp64", "FP64", "0.1, 1.7976931348623157e308, 5e-324, -1, 2.5, 1e100"),
        ("bf16", "BF16", "1, -2, 0.5, 3.140625, 0, -0.25"),
        ("bytes", "BYTES", "\"a\", \"h\u00e9llo\", \"\", \"\\\"quoted\\\"\", \"\u65e5\u672c\", \"tab\\t\""),
    ];

    public static TheoryData<string> DataTypes() => new(Values.Select(v => v.Suffix));

    [Theory]
    [MemberData(nameof(DataTypes))]
    public async Task JsonFlatRoundTripKeepsEveryValue(string suffix)
    {
        var outputs = await InferJsonAsync(suffix, nested: false);
        AssertSameValues(suffix, outputs[$"out_{suffix}"]);
    }

    [Theory]
    [MemberData(nameof(DataTypes))]
    public async Task JsonNestedRoundTripKeepsEveryValue(string suffix)
    {
        var outputs = await InferJsonAsync(suffix, nested: true);
        AssertSameValues(suffix, outputs[$"out_{suffix}"]);
    }

    [Theory]
    [MemberData(nameof(DataTypes))]
    public async Task BinaryOutputThenBinaryInputRoundTripKeepsEveryValue(string suffix)
    {
        await server.EnsureAsync(Model, 1, "identity_all_types.onnx");

        // JSON in, binary out (requested for the whole response).
        var json = Request(nested: false, "\"parameters\": {\"binary_data_output\": true}, ");
        using var first = await server.Client.PostAsync($"/v2/models/{Model}/infer", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var (header, tensors) = await BinaryBody.ReadAsync(first);
        var output = header.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == $"out_{suffix}");
        Assert.Equal(Values.Single(v => v.Suffix == suffix).DataType, output.GetProperty("datatype").GetString());
        Assert.Equal([2L, 3L], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));

        // Every output's bytes back in as binary inputs, with no Content-Type; JSON out.
        var raws = Values.Select(v => tensors[$"out_{v.Suffix}"]).ToArray();
        var inputs = string.Join(", ", Values.Select((v, i) =>
            $"{{\"name\": \"in_{v.Suffix}\", \"shape\": [2, 3], \"datatype\": \"{v.DataType}\", \"parameters\": {{\"binary_data_size\": {raws[i].Length}}}}}"));
        using var second = await server.Client.PostAsync($"/v2/models/{Model}/infer", BinaryBody.Create($"{{\"inputs\": [{inputs}]}}", raws));
        var body = await Api.ReadAsync(second);
        Assert.True(second.StatusCode == HttpStatusCode.OK, body.ToString());
        AssertSameValues(suffix, body.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == $"out_{suffix}"));
    }

    [Fact]
    public async Task BinaryOutputOfAllTypesAtOnceHasOneSliceEach()
    {
        await server.EnsureAsync(Model, 1, "identity_all_types.onnx");
        var json = Request(nested: false, "\"id\": \"all\", \"parameters\": {\"binary_data_output\": true}, ");
        using var response = await server.Client.PostAsync($"/v2/models/{Model}/infer", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (header, tensors) = await BinaryBody.ReadAsync(response);
        Assert.Equal("all", header.GetProperty("id").GetString());
        Assert.Equal(Values.Length, tensors.Count);
        Assert.Equal(6, tensors["out_bool"].Length);
        Assert.Equal(6 * 8, tensors["out_uint64"].Length);
        Assert.Equal(6 * 2, tensors["out_fp16"].Length);
        Assert.Equal(BitConverter.GetBytes(long.MinValue), tensors["out_int64"][..8]);
        Assert.Equal(BitConverter.GetBytes(1e100), tensors["out_fp64"][^8..]);
        // BYTES: each element a 4-byte length then its UTF-8 bytes.
        Assert.Equal([1, 0, 0, 0, (byte)'a'], tensors["out_bytes"][..5]);
    }

    private async Task<Dictionary<string, JsonElement>> InferJsonAsync(string suffix, bool nested)
    {
        await server.EnsureAsync(Model, 1, "identity_all_types.onnx");
        var (status, body) = await Api.PostJsonAsync(server.Client, $"/v2/models/{Model}/infer", Request(nested, "\"id\": \"rt\", "));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("rt", body.GetProperty("id").GetString());
        return body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
    }

    private static string Request(bool nested, string extra)
    {
        var inputs = new List<string>();
        foreach (var (suffix, type, data) in Values)
        {
            var text = data;
            if (nested)
            {
                var parts = JsonDocument.Parse($"[{data}]").RootElement.EnumerateArray().Select(e => e.GetRawText()).ToArray();
                text = $"[{string.Join(",", parts[..3])}], [{string.Join(",", parts[3..])}]";
            }

            inputs.Add($"{{\"name\": \"in_{suffix}\", \"shape\": [2, 3], \"datatype\": \"{type}\", \"data\": [{text}]}}");
        }

        return $"{{{extra}\"inputs\": [{string.Join(", ", inputs)}]}}";
    }

    private static void AssertSameValues(string suffix, JsonElement output)
    {
        var (_, type, data) = Values.Single(v => v.Suffix == suffix);
        Assert.Equal(type, output.GetProperty("datatype").GetString());
        Assert.Equal([2L, 3L], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var sent = JsonDocument.Parse($"[{data}]").RootElement.EnumerateArray().ToArray();
        var got = Flatten(output.GetProperty("data")).ToArray();
        Assert.Equal(sent.Length, got.Length);
        for (var i = 0; i < sent.Length; i++)
        {
            var (expected, actual) = (sent[i], got[i]);
            var same = type switch
            {
                "BOOL" => expected.GetBoolean() == actual.GetBoolean(),
                "UINT8" or "UINT16" or "UINT32" or "UINT64" => expected.GetUInt64() == actual.GetUInt64(),
                "INT8" or "INT16" or "INT32" or "INT64" => expected.GetInt64() == actual.GetInt64(),
                "FP16" => (Half)expected.GetDouble() == (Half)actual.GetDouble(),
                "FP32" => (float)expected.GetDouble() == actual.GetSingle(),
                "FP64" or "BF16" => expected.GetDouble() == actual.GetDouble(),
                _ => expected.GetString() == actual.GetString(),
            };
            Assert.True(same, $"{type} element {i.ToString(CultureInfo.InvariantCulture)}: sent {expected.GetRawText()}, got {actual.GetRawText()}");
        }
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement data) =>
        data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().SelectMany(Flatten) : [data];
}
