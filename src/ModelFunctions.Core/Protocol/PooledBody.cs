using System.Buffers;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// A request body in a buffer from <see cref="BodyBuffers"/> (the shared pool up to 1 MiB); disposing returns the buffer.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    internal PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Body length in bytes.</summary>
    public int Length { get; }

    /// <summary>The body's bytes.</summary>
    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsSpan(0, Length);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            BodyBuffers.Return(buffer);
        }
    }
}
