namespace ModelFunctions.Core.Storage;

/// <summary>A container lock of the folder store: the process-local semaphore and the OS file lock, released together.</summary>
internal sealed class HeldContainerLock : IDisposable
{
    private readonly FileLock _fileLock;
    private readonly SemaphoreSlim _local;
    private int _disposed;

    public HeldContainerLock(FileLock fileLock, SemaphoreSlim local)
    {
        _fileLock = fileLock;
        _local = local;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _fileLock.Dispose();
            _local.Release();
        }
    }
}
