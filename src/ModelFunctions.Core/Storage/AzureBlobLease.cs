using Azure.Storage.Blobs.Specialized;

namespace ModelFunctions.Core.Storage;

/// <summary>A lease on an Azure blob, held through the SDK's <see cref="BlobLeaseClient"/>; released on dispose.</summary>
internal sealed class AzureBlobLease : IBlobLease
{
    private readonly AzureBlobStore _store;
    private readonly BlobLeaseClient _lease;
    private readonly string _container;
    private readonly string _name;
    private int _released;

    public AzureBlobLease(AzureBlobStore store, BlobLeaseClient lease, string container, string name)
    {
        _store = store;
        _lease = lease;
        _container = container;
        _name = name;
    }

    /// <inheritdoc />
    public string LeaseId => _lease.LeaseId;

    /// <inheritdoc />
    public Task<bool> RenewAsync(CancellationToken cancellationToken) =>
        _store.RenewLeaseAsync(_lease, _container, _name, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _store.ReleaseLeaseAsync(_lease, _container, _name).ConfigureAwait(false);
        }
    }
}
