using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelFunctions.Bench.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends a request prepared once as bytes and reads the response with
/// the least work that still checks it: status line, Content-Length or chunked body, nothing else. HttpClient
/// spends tens of microseconds of CPU per request, which on a small machine is CPU taken from the server being
/// measured; this client spends a few.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Whether the server asked to close (or the connection failed): open a new one.</summary>
    public bool Closed { get; private set; }

    public static async Task<RawHttpConnection> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(url.Host, url.Port), cancellationToken).ConfigureAwait(false);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of a POST of <paramref name="body"/> to <paramref name="url"/>.</summary>
    public static byte[] BuildPost(Uri url, RequestBody body)
    {
        var head = new StringBuilder()
            .Append("POST ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("Content-Length: ").Append(body.Content.Length).Append("\r\n");
        if (body.HeaderLength is { } headerLength)
        {
            head.Append("Content-Type: application/octet-stream\r\n")
                .Append("Inference-Header-Content-Length: ").Append(headerLength).Append("\r\n");
        }
        else
        {
            head.Append("Content-Type: application/json\r\n");
        }

        var headBytes = Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
        return [.. headBytes, .. body.Content];
    }

    /// <summary>Sends one request and reads its whole response; returns the status code and the body's length.</summary>
    public async Task<(int Status, int BodyLength)> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        while (!request.IsEmpty)
        {
            var sent = await _socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            request = request[sent..];
        }

        _start = _end = 0;
        var headerEnd = await FillUntilAsync(() => IndexOf("\r\n\r\n"u8, _start), cancellationToken).ConfigureAwait(false);
        var head = _buffer.AsSpan(_start, headerEnd - _start);
        if (head.Length < 12 || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new IOException("Malformed status line.");
        }

        var contentLength = -1;
        var chunked = false;
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            if (StartsWithIgnoreCase(line, "content-length:"u8))
            {
                Utf8Parser.TryParse(line["content-length:".Length..].Trim((byte)' '), out contentLength, out _);
            }
            else if (StartsWithIgnoreCase(line, "transfer-encoding:"u8))
            {
                chunked = line.IndexOf("chunked"u8) >= 0;
            }
            else if (StartsWithIgnoreCase(line, "connection:"u8))
            {
                Closed |= line.IndexOf("close"u8) >= 0;
            }
        }

        _start = headerEnd + 4;
        int bodyLength;
        if (chunked)
        {
            bodyLength = await ReadChunkedAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (contentLength >= 0)
        {
            await FillUntilAsync(() => _end - _start >= contentLength ? _start + contentLength : -1, cancellationToken).ConfigureAwait(false);
            bodyLength = contentLength;
        }
        else
        {
            throw new IOException("A response without Content-Length or chunked encoding.");
        }

        return (status, bodyLength);
    }

    private async Task<int> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var lineEnd = await FillUntilAsync(() => IndexOf("\r\n"u8, _start), cancellationToken).ConfigureAwait(false);
            var sizeText = _buffer.AsSpan(_start, lineEnd - _start);
            var semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0)
            {
                sizeText = sizeText[..semicolon];
            }

            if (!Utf8Parser.TryParse(sizeText, out int size, out _, 'x'))
            {
                throw new IOException("Malformed chunk size.");
            }

            _start = lineEnd + 2;
            if (size == 0)
            {
                // No trailers expected: the last chunk ends with an empty line.
                await FillUntilAsync(() => _end - _start >= 2 ? _start + 2 : -1, cancellationToken).ConfigureAwait(false);
                return total;
            }

            await FillUntilAsync(() => _end - _start >= size + 2 ? _start + size + 2 : -1, cancellationToken).ConfigureAwait(false);
            _start += size + 2;
            total += size;
        }
    }

    /// <summary>Receives until <paramref name="found"/> returns an index (not -1), and returns it.</summary>
    private async ValueTask<int> FillUntilAsync(Func<int> found, CancellationToken cancellationToken)
    {
        while (true)
        {
            var index = found();
            if (index >= 0)
            {
                return index;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("Response larger than the client's buffer.");
            }

            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                Closed = true;
                throw new IOException("The server closed the connection.");
            }

            _end += read;
        }
    }

    private int IndexOf(ReadOnlySpan<byte> value, int from)
    {
        var index = _buffer.AsSpan(from, _end - from).IndexOf(value);
        return index < 0 ? -1 : from + index;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix) =>
        line.Length >= prefix.Length && Ascii.EqualsIgnoreCase(line[..prefix.Length], prefix);

    public void Dispose() => _socket.Dispose();
}
