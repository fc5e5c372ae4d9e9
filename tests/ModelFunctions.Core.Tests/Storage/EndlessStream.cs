namespace ModelFunctions.Core.Tests.Storage;

/// <summary>A read-only stream of 'x' bytes that never ends, 64 KiB every 20 ms; calls <paramref name="flowing"/> after the first 1 MiB.</summary>
internal sealed class EndlessStream(Action flowing) : Stream
{
    private long _read;
    private bool _announced;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(20, cancellationToken);
        var n = Math.Min(buffer.Length, 64 << 10);
        buffer.Span[..n].Fill((byte)'x');
        _read += n;
        if (!_announced && _read >= 1 << 20)
        {
            _announced = true;
            flowing();
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
