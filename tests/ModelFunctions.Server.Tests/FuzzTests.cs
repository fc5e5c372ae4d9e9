using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using ModelFunctions.Server.Tests.Support;
using Xunit.Abstractions;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// Thousands of malformed bodies thrown at <c>/infer</c>: the server answers each with a 4xx and <c>{"error"}</c>,
/// never a 5xx or a dropped connection, and still serves a good request afterwards.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FuzzTests(ServerFixture server, ITestOutputHelper output)
{
    private const string Valid = "{\"id\": \"f\", \"inputs\": [{\"name\": \"features\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}]}";

    [Fact]
    public async Task MalformedBodiesGetOnly4xxAndTheServerStaysUp()
    {
        var cases = Cases(new Random(20261122)).ToArray();
        Assert.True(cases.Length >= 3000, cases.Length.ToString(CultureInfo.InvariantCulture));
        var problems = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, _) =>
        {
            using var content = new ByteArrayContent(fuzz.Body);
            if (fuzz.HeaderLength is null)
            {
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }
            else
            {
                content.Headers.Add(BinaryBody.HeaderLength, fuzz.HeaderLength);
            }

            try
            {
                using var response = await server.Client.PostAsync("/v2/models/iris/infer", content);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var text = await response.Content.ReadAsStringAsync();
                var failed = status is >= 400 and < 500;
                if (status >= 500 || (fuzz.MustFail && !failed) || (failed && !text.Contains("\"error\"", StringComparison.Ordinal)))
                {
                    problems.Enqueue($"{fuzz.Kind}: {status} {Truncate(text)} for {Truncate(Encoding.UTF8.GetString(fuzz.Body))}");
                }
            }
            catch (HttpRequestException ex)
            {
                problems.Enqueue($"{fuzz.Kind}: {ex.Message} for {Truncate(Encoding.UTF8.GetString(fuzz.Body))}");
            }
        });

        output.WriteLine($"{cases.Length} cases; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key))}");
        Assert.True(problems.IsEmpty, $"{problems.Count} problems:\n{string.Join("\n", problems.Take(15))}");

        using var live = await server.Client.GetAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var (status, body) = await Api.PostJsonAsync(server.Client, "/v2/models/iris/infer", Valid);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("f", body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task MalformedV1PredictBodiesGetOnly4xx()
    {
        var cases = V1Cases(new Random(7)).ToArray();
        var problems = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, _) =>
        {
            using var content = new ByteArrayContent(fuzz.Body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            try
            {
                using var response = await server.Client.PostAsync("/v1/models/iris:predict", content);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                var failed = status is >= 400 and < 500;
                if (status >= 500 || (fuzz.MustFail && !failed) || (failed && !text.Contains("\"error\"", StringComparison.Ordinal)))
                {
                    problems.Enqueue($"{fuzz.Kind}: {status} {Truncate(text)} for {Truncate(Encoding.UTF8.GetString(fuzz.Body))}");
                }
            }
            catch (HttpRequestException ex)
            {
                problems.Enqueue($"{fuzz.Kind}: {ex.Message} for {Truncate(Encoding.UTF8.GetString(fuzz.Body))}");
            }
        });

        output.WriteLine($"{cases.Length} V1 cases");
        Assert.True(problems.IsEmpty, $"{problems.Count} problems:\n{string.Join("\n", problems.Take(15))}");
        var (status, _) = await Api.PostJsonAsync(server.Client, "/v1/models/iris:predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static IEnumerable<FuzzCase> V1Cases(Random random)
    {
        var valid = Encoding.UTF8.GetBytes("{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]], \"signature_name\": \"serving_default\"}");
        for (var length = 0; length < valid.Length; length++)
        {
            yield return new FuzzCase("v1 truncated", valid[..length], null, MustFail: true);
        }

        string[] bodies =
        [
            "{\"instances\": []}", "{\"instances\": {}}", "{\"instances\": 5}", "{\"instances\": \"x\"}", "{\"instances\": [[1, 2, 3]]}",
            "{\"instances\": [[1, 2, 3, 4, 5]]}", "{\"instances\": [[1, 2, 3, 4], [1, 2]]}", "{\"instances\": [[\"a\", 2, 3, 4]]}",
            "{\"instances\": [{\"features\": [1, 2, 3]}]}", "{\"instances\": [{\"other\": [1, 2, 3, 4]}]}", "{\"instances\": [null]}",
            "{\"instances\": [[1, 2, 3, 4]], \"inputs\": [[1, 2, 3, 4]]}", "{\"inputs\": {\"other\": [[1, 2, 3, 4]]}}", "{\"inputs\": [[1, 2]]}",
            "{\"inputs\": null}", "{}", "[]", "null", "{\"instances\": [[1e400, 2, 3, 4]]}", "{\"instances\": [[true, 2, 3, 4]]}",
            "{\"instances\": [[[1, 2, 3, 4]]]}", "{\"instances\": [" + new string('[', 5000) + new string(']', 5000) + "]}",
            "{\"inputs\": " + new string('[', 5000) + new string(']', 5000) + "}",
        ];
        foreach (var body in bodies)
        {
            yield return new FuzzCase("v1 shape or type", Encoding.UTF8.GetBytes(body), null, MustFail: true);
        }

        for (var i = 0; i < 500; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            yield return new FuzzCase("v1 mutation", mutated, null, MustFail: false);
        }
    }

    private static IEnumerable<FuzzCase> Cases(Random random)
    {
        var valid = Encoding.UTF8.GetBytes(Valid);

        // Truncated JSON: every prefix, then a sample again with trailing garbage.
        for (var length = 0; length < valid.Length; length++)
        {
            yield return new FuzzCase("truncated", valid[..length], null, MustFail: true);
        }

        // Wrong types in every field.
        string[] wrongTypes =
        [
            "[]", "\"text\"", "42", "true", "null", "{}", "[{}]", "[[]]", "-1", "1.5", "\"FP32\"", "[\"a\"]", "[1, \"b\"]", "{\"a\": 1}",
        ];
        string[] templates =
        [
            "{{\"inputs\": {0}}}",
            "{{\"inputs\": [{{\"name\": {0}, \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}}]}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": {0}, \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}}]}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": {0}, \"data\": [1, 2, 3, 4]}}]}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": {0}}}]}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, {0}]}}]}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}}], \"outputs\": {0}}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}}], \"outputs\": [{{\"name\": {0}}}]}}",
            "{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, {0}], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}}]}}",
            "{0}",
        ];
        foreach (var template in templates)
        {
            foreach (var value in wrongTypes)
            {
                var body = string.Format(CultureInfo.InvariantCulture, template, value);
                // A few combinations are valid requests: no outputs named, a number as an element, the right datatype.
                var couldBeValid = (template.Contains("\"outputs\": {0}", StringComparison.Ordinal) && value is "[]" or "null")
                    || (template.Contains("3, {0}]", StringComparison.Ordinal) && double.TryParse(value, CultureInfo.InvariantCulture, out _))
                    || (template.Contains("\"datatype\": {0}", StringComparison.Ordinal) && value == "\"FP32\"");
                yield return new FuzzCase($"wrong type {value}", Encoding.UTF8.GetBytes(body), null, MustFail: !couldBeValid);
            }
        }

        // Huge and negative shapes.
        string[] shapes =
        [
            "[1000000000000, 4]", "[9223372036854775807, 9223372036854775807]", "[4294967296, 4294967296]", "[99999999999999999999, 4]",
            "[-1, 4]", "[-5]", "[1, -4]", "[0, 4]", "[1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
            "[1.5, 4]", "[1e3, 4]", "[2147483648, 2147483648, 2147483648]", "[]",
        ];
        foreach (var shape in shapes)
        {
            var body = $"{{\"inputs\": [{{\"name\": \"features\", \"shape\": {shape}, \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}}]}}";
            yield return new FuzzCase("shape", Encoding.UTF8.GetBytes(body), null, MustFail: true);
        }

        // Deep nesting, in the data and around the whole body.
        foreach (var depth in new[] { 33, 64, 100, 1000, 10_000, 100_000 })
        {
            var nested = new string('[', depth) + "1" + new string(']', depth);
            yield return new FuzzCase("deep data", Encoding.UTF8.GetBytes($"{{\"inputs\": [{{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": {nested}}}]}}"), null, MustFail: true);
            yield return new FuzzCase("deep body", Encoding.UTF8.GetBytes(nested), null, MustFail: true);
            var objects = string.Concat(Enumerable.Repeat("{\"a\": ", depth)) + "1" + new string('}', depth);
            yield return new FuzzCase("deep objects", Encoding.UTF8.GetBytes($"{{\"inputs\": [], \"parameters\": {objects}}}"), null, MustFail: true);
        }

        // Binary bodies with header lengths and binary_data_size out of range.
        var header = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 16}}]}";
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var tensor = BinaryBody.Floats(1, 2, 3, 4);
        var binary = headerBytes.Concat(tensor).ToArray();
        foreach (var length in new[] { "-1", "0", "1", "abc", "", "99999999999", "2147483648", (binary.Length + 1).ToString(CultureInfo.InvariantCulture), (headerBytes.Length - 1).ToString(CultureInfo.InvariantCulture), "1e3", " 12" })
        {
            yield return new FuzzCase("header length", binary, length, MustFail: true);
        }

        foreach (var size in new[] { "-16", "0", "15", "17", "1000000", "99999999999999", "\"16\"", "null", "1.5" })
        {
            var bad = Encoding.UTF8.GetBytes(header.Replace("16", size, StringComparison.Ordinal));
            yield return new FuzzCase("binary_data_size", bad.Concat(tensor).ToArray(), bad.Length.ToString(CultureInfo.InvariantCulture), MustFail: true);
        }

        yield return new FuzzCase("binary short", binary[..^3], headerBytes.Length.ToString(CultureInfo.InvariantCulture), MustFail: true);
        yield return new FuzzCase("binary long", [.. binary, 1, 2, 3, 4], headerBytes.Length.ToString(CultureInfo.InvariantCulture), MustFail: true);

        // Random mutations of a valid body: some stay valid, none may fail the server.
        for (var i = 0; i < 2200; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            yield return new FuzzCase("mutation", mutated, null, MustFail: false);
        }

        // Random bytes, as JSON and as binary bodies with a random header length.
        for (var i = 0; i < 600; i++)
        {
            var noise = new byte[random.Next(0, 400)];
            random.NextBytes(noise);
            yield return new FuzzCase("noise", noise, i % 2 == 0 ? null : random.Next(-10, 500).ToString(CultureInfo.InvariantCulture), MustFail: true);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
