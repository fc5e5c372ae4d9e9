namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>Request bodies for identity_all_types.onnx: every datatype, shape [2, 3], edge values.</summary>
internal static class IdentityRequests
{
    /// <summary>Input suffix, protocol datatype, and six elements as JSON text.</summary>
    public static readonly (string Suffix, string DataType, string Data)[] Inputs =
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
        ("fp32", "FP32", "0.1, -3.4028235e38, 1.1754944e-38, 1e-45, 16777216, -0.0"),
        ("fp64", "FP64", "0.1, 1.7976931348623157e308, 5e-324, -1, 2.5, 1e100"),
        ("bf16", "BF16", "1, -2, 0.5, 3.140625, 0, -0.25"),
        ("bytes", "BYTES", "\"a\", \"h\u00e9llo\", \"\", \"\\\"quoted\\\"\", \"\u65e5\u672c\", \"tab\\t\""),
    ];

    /// <summary>Every input, flat or nested ([[a, b, c], [d, e, f]]).</summary>
    public static string All(bool nested, string extraRequestFields = "")
    {
        var inputs = new List<string>();
        foreach (var (suffix, type, data) in Inputs)
        {
            var text = data;
            if (nested)
            {
                var parts = SplitTopLevel(data);
                text = $"[{string.Join(",", parts[..3])}], [{string.Join(",", parts[3..])}]";
            }

            inputs.Add($"{{\"name\": \"in_{suffix}\", \"shape\": [2, 3], \"datatype\": \"{type}\", \"data\": [{text}]}}");
        }

        return $"{{{extraRequestFields}\"inputs\": [{string.Join(", ", inputs)}]}}";
    }

    private static string[] SplitTopLevel(string data)
    {
        // Splits on commas outside JSON strings (the BYTES sample has escaped quotes).
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == '"' && (i == 0 || data[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (data[i] == ',' && !quoted)
            {
                parts.Add(data[start..i]);
                start = i + 1;
            }
        }

        parts.Add(data[start..]);
        return [.. parts];
    }
}
