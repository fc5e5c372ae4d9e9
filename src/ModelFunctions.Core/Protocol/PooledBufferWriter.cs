using System.Buffers;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over <see cref="BodyBuffers"/> (the shared pool up to 1 MiB), for response
/// bodies that are built whole before they are sent (the length goes in Content-Length). Utf8JsonWriter asks
/// its output for at least 4 KiB at a time, so a fresh array per response would cost more than the response
/// itself; a rented one goes back to the pool on <see cref="Dispose"/>.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    /// <summary>Starts with room for <paramref name="initialCapacity"/> bytes.</summary>
    public PooledBufferWriter(int initialCapacity)
    {
        _buffer = BodyBuffers.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>How many bytes were written.</summary>
    public int WrittenCount => _written;

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Returns the buffer to the pool; the writer must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            BodyBuffers.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, (long)_written + needed), Array.MaxLength);
        if (size < _written + needed)
        {
            throw new InvalidOperationException("A response body cannot exceed the largest array.");
        }

        var larger = BodyBuffers.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        BodyBuffers.Return(_buffer);
        _buffer = larger;
    }
}
