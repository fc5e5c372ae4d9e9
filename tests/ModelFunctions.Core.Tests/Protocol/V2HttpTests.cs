using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>V2Http over real HTTP: media types, size limits, the header-length header, binary responses.</summary>
public sealed class V2HttpTests(V2HttpServerFixture server) : IClassFixture<V2HttpServerFixture>
{
    private static ByteArrayContent Json(string json, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("error").GetString()!;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/octet-stream")]
    public async Task JsonBody_IsAccepted_WithAnyAllowedContentType(string? contentType)
    {
        using var response = await server.Client.PostAsync("/infer", Json(IdentityRequests.All(nested: false, "\"id\": \"h1\", "), contentType));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("h1", json.RootElement.GetProperty("id").GetString());
        Assert.Equal(14, json.RootElement.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task OtherContentType_Is415()
    {
        using var response = await server.Client.PostAsync("/infer", Json(IdentityRequests.All(nested: false), "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("text/plain", await ErrorOf(response));
    }

    [Fact]
    public async Task BinaryRequest_GetsBinaryResponse_WithHeaderLength()
    {
        var inputs = ProtocolTestKit.Read(IdentityRequests.All(nested: false)).Inputs;
        var (body, headerLength) = ProtocolTestKit.BinaryBody(inputs, "\"parameters\": {\"binary_data_output\": true}, ");
        var content = new ByteArrayContent(body);
        content.Headers.Add("inference-header-content-length", headerLength.ToString());

        using var response = await server.Client.PostAsync("/infer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var json = JsonDocument.Parse(bytes.AsMemory(0, jsonLength));
        var offset = jsonLength;
        foreach (var output in json.RootElement.GetProperty("outputs").EnumerateArray())
        {
            var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
            var input = ProtocolTestKit.Find(inputs, "in_" + output.GetProperty("name").GetString()!["out_".Length..]);
            Assert.Equal(ProtocolTestKit.BinaryOf(input), bytes.AsSpan(offset, size).ToArray());
            offset += size;
        }

        Assert.Equal(bytes.Length, offset);
    }

    [Theory]
    [InlineData("abc", "not a non-negative integer")]
    [InlineData("-5", "not a non-negative integer")]
    [InlineData("999999", "larger than the body")]
    public async Task BadHeaderLength_Is400(string value, string fragment)
    {
        var content = Json(IdentityRequests.All(nested: false), null);
        content.Headers.Add("Inference-Header-Content-Length", value);

        using var response = await server.Client.PostAsync("/infer", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fragment, await ErrorOf(response));
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413_WithContentLength()
    {
        using var response = await server.Client.PostAsync("/small", Json(IdentityRequests.All(nested: false), null));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit of 1024 bytes", await ErrorOf(response));
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413_WhenStreamedWithoutLength()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(IdentityRequests.All(nested: false)));
        var content = new StreamContent(new UnseekableStream(stream));

        using var response = await server.Client.PostAsync("/small", content);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task BadInput_Is400_WithAnErrorNamingIt()
    {
        var json = IdentityRequests.All(nested: false).Replace("0, 1, 127, 128, 254, 255", "0, 1, 127, 128, 254, 300", StringComparison.Ordinal);

        using var response = await server.Client.PostAsync("/infer", Json(json, null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Input 'in_uint8'", await ErrorOf(response));
    }
}
