using System.Text;
using System.Text.Json;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>
/// The binary tensor extension as Triton's client speaks it: a JSON header, then raw tensors, the header's length in
/// <c>Inference-Header-Content-Length</c>, and no Content-Type.
/// </summary>
internal static class BinaryBody
{
    public const string HeaderLength = "Inference-Header-Content-Length";

    /// <summary>Builds the request content from a JSON header and the raw tensors in input order.</summary>
    public static ByteArrayContent Create(string jsonHeader, params byte[][] tensors)
    {
        var header = Encoding.UTF8.GetBytes(jsonHeader);
        var body = new byte[header.Length + tensors.Sum(t => t.Length)];
        header.CopyTo(body, 0);
        var offset = header.Length;
        foreach (var tensor in tensors)
        {
            tensor.CopyTo(body, offset);
            offset += tensor.Length;
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = null;
        content.Headers.Add(HeaderLength, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    /// <summary>Splits a binary response into its JSON header and each output's raw bytes, by output name.</summary>
    public static async Task<(JsonElement Header, Dictionary<string, byte[]> Tensors)> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.Headers.TryGetValues(HeaderLength, out var values) || response.Content.Headers.TryGetValues(HeaderLength, out values),
            $"no {HeaderLength} header on a {(int)response.StatusCode} answer: {Encoding.UTF8.GetString(body)}");
        var headerLength = int.Parse(values!.Single(), System.Globalization.CultureInfo.InvariantCulture);
        var header = JsonDocument.Parse(body.AsMemory(0, headerLength)).RootElement.Clone();
        var tensors = new Dictionary<string, byte[]>();
        var offset = headerLength;
        foreach (var output in header.GetProperty("outputs").EnumerateArray())
        {
            var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
            tensors[output.GetProperty("name").GetString()!] = body.AsSpan(offset, size).ToArray();
            offset += size;
        }

        Assert.Equal(body.Length, offset);
        return (header, tensors);
    }

    /// <summary>Little-endian FP32 values.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

}
