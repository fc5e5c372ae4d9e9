using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Reads V2 inference requests from, and writes responses to, ASP.NET Core HTTP messages.
/// </summary>
public static class V2Http
{
    /// <summary>
    /// Reads and decodes a request body. A missing Content-Type is accepted (Triton's client sends none), as are
    /// JSON and the binary media types; the body is read into a pooled buffer of at most
    /// <see cref="ProtocolLimits.MaxBodyBytes"/>.
    /// </summary>
    /// <exception cref="ProtocolException">415 for another media type, 413 for a body over the limit, 400 for a bad
    /// <c>Inference-Header-Content-Length</c> or body.</exception>
    public static async Task<InferenceRequest> ReadRequestAsync(HttpRequest request, ProtocolLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headerLength = ReadHeaderLength(request.Headers);
        using var body = await ReadBodyAsync(request, limits, cancellationToken).ConfigureAwait(false);
        if (headerLength > body.Length)
        {
            throw ProtocolException.BadRequest($"The {ProtocolNames.HeaderLengthHeader} header ({headerLength}) is larger than the body ({body.Length} bytes).");
        }

        // The reader copies every tensor out of the buffer, so it can go back to the pool.
        return V2RequestReader.Read(body.Span, headerLength, limits);
    }

    /// <summary>
    /// Reads a request body of an accepted media type into a pooled buffer of at most
    /// <see cref="ProtocolLimits.MaxBodyBytes"/>; dispose the result to return the buffer.
    /// </summary>
    /// <exception cref="ProtocolException">415 for another media type, 413 for a body over the limit.</exception>
    public static async Task<PooledBody> ReadBodyAsync(HttpRequest request, ProtocolLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        CheckContentType(request.ContentType);
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            throw TooLarge(request.ContentLength.Value, limits);
        }

        // Let the server accept bodies up to our own limit (Kestrel's default is lower); we enforce it while reading.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limits.MaxBodyBytes;
        }

        var initial = Math.Min(Math.Min(request.ContentLength ?? 16 * 1024, limits.MaxBodyBytes) + 1, Array.MaxLength);
        var buffer = BodyBuffers.Rent((int)initial);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limits.MaxBodyBytes)
                    {
                        throw TooLarge(length, limits);
                    }

                    var larger = BodyBuffers.Rent((int)Math.Min(Math.Min((long)buffer.Length * 2, (long)limits.MaxBodyBytes + 1), Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    BodyBuffers.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw new ProtocolException(413, $"The request body is larger than the limit of {limits.MaxBodyBytes} bytes.");
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limits.MaxBodyBytes)
                {
                    throw TooLarge(length, limits);
                }
            }

            var body = new PooledBody(buffer, length);
            buffer = null;
            return body;
        }
        finally
        {
            if (buffer is not null)
            {
                BodyBuffers.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Writes a response: <c>application/json</c>, or <c>application/octet-stream</c> with the
    /// <c>Inference-Header-Content-Length</c> header when any output is binary.
    /// </summary>
    public static async Task WriteResponseAsync(HttpResponse response, InferenceResponse result, InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);

        // Headers must be set before the first byte goes out, and the JSON length is known only once written.
        using var body = new PooledBufferWriter(EstimateSize(result));
        var jsonLength = V2ResponseWriter.Write(body, result, request);
        if (jsonLength is { } length)
        {
            response.ContentType = ProtocolNames.OctetStreamMediaType;
            response.Headers[ProtocolNames.HeaderLengthHeader] = length.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            response.ContentType = ProtocolNames.JsonMediaType;
        }

        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return;
        }

        if (MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            var mediaType = parsed.MediaType;
            if (mediaType.Equals(ProtocolNames.JsonMediaType, StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals(ProtocolNames.OctetStreamMediaType, StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals(ProtocolNames.SageMakerBinaryMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        throw new ProtocolException(415, $"Content-Type '{contentType}' is not supported; send application/json, application/octet-stream, or none.");
    }

    private static int? ReadHeaderLength(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(ProtocolNames.HeaderLengthHeader, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1
            || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw ProtocolException.BadRequest($"The {ProtocolNames.HeaderLengthHeader} header '{values}' is not a non-negative integer.");
        }

        return length;
    }

    private static ProtocolException TooLarge(long length, ProtocolLimits limits) =>
        new(413, $"The request body of {length} bytes or more is larger than the limit of {limits.MaxBodyBytes} bytes.");

    private static int EstimateSize(InferenceResponse result)
    {
        long size = 256;
        foreach (var output in result.Outputs)
        {
            // Binary data takes its own size; JSON numbers take a few characters per byte at most.
            size += 64 + (output.Data.Length * 3L);
        }

        return (int)Math.Min(size, 16 * 1024 * 1024);
    }
}
