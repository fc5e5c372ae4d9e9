using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Writes protocol error bodies, <c>{"error": "..."}</c>, the form every Open Inference Protocol client reads.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>Answers with <paramref name="statusCode"/> and <c>{"error": message}</c>.</summary>
    public static async Task WriteAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(message);

        var body = new ArrayBufferWriter<byte>(64 + message.Length);
        using (var writer = new Utf8JsonWriter(body, TensorJsonWriter.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, message);
            writer.WriteEndObject();
        }

        response.StatusCode = statusCode;
        response.ContentType = ProtocolNames.JsonMediaType;
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers with the exception's status code and message.</summary>
    public static Task WriteAsync(HttpResponse response, ProtocolException exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return WriteAsync(response, exception.StatusCode, exception.Message, cancellationToken);
    }
}
