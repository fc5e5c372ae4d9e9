using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>Small helpers for calling the server and reading its JSON answers.</summary>
internal static class Api
{
    /// <summary>Posts a JSON body and returns the status and the parsed body (an empty object when there is none).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(HttpClient client, string path, string json, string? contentType = "application/json")
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.PostAsync(path, content);
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>Gets a path and returns the status and the parsed body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>Parses a response body as JSON; an empty body gives an empty object.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length == 0)
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        try
        {
            return JsonDocument.Parse(bytes).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Status {(int)response.StatusCode}: body is not JSON: {Encoding.UTF8.GetString(bytes)}", ex);
        }
    }

    /// <summary>Asserts an error status with a <c>{"error": "..."}</c> body and returns the message.</summary>
    public static string AssertError(HttpStatusCode expected, (HttpStatusCode Status, JsonElement Body) answer)
    {
        Assert.True(expected == answer.Status, $"expected {(int)expected}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal(JsonValueKind.Object, answer.Body.ValueKind);
        Assert.True(answer.Body.TryGetProperty("error", out var error), $"no error field: {answer.Body}");
        var message = error.GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    /// <summary>One iris request: rows of four features.</summary>
    public static string IrisRequest(float[][] rows, string? id = null)
    {
        var data = string.Join(", ", rows.SelectMany(r => r).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var idField = id is null ? string.Empty : $"\"id\": \"{id}\", ";
        return $"{{{idField}\"inputs\": [{{\"name\": \"features\", \"shape\": [{rows.Length}, 4], \"datatype\": \"FP32\", \"data\": [{data}]}}]}}";
    }

    /// <summary>A typical iris row.</summary>
    public static readonly float[] IrisRow = [5.1f, 3.5f, 1.4f, 0.2f];
}
