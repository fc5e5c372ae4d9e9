namespace ModelFunctions.Core.Storage;

/// <summary>A lease on a blob of <see cref="FileSystemBlobStore"/>; released on dispose.</summary>
internal sealed class FileSystemBlobLease : IBlobLease
{
    private readonly FileSystemBlobStore _store;
    private readonly string _container;
    private readonly string _name;
    private readonly TimeSpan _duration;
    private int _released;

    public FileSystemBlobLease(FileSystemBlobStore store, string container, string name, string leaseId, TimeSpan duration)
    {
        _store = store;
        _container = container;
        _name = name;
        _duration = duration;
        LeaseId = leaseId;
    }

    /// <inheritdoc />
    public string LeaseId { get; }

    /// <inheritdoc />
    public Task<bool> RenewAsync(CancellationToken cancellationToken) =>
        _store.RenewLeaseAsync(_container, _name, LeaseId, _duration, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _store.ReleaseLeaseAsync(_container, _name, LeaseId, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
