namespace ModelFunctions.Core.Storage;

/// <summary>A lease on an Azure blob; released on dispose.</summary>
internal sealed class AzureBlobLease : IBlobLease
{
    private readonly AzureBlobStore _store;
    private readonly string _container;
    private readonly string _name;
    private int _released;

    public AzureBlobLease(AzureBlobStore store, string container, string name, string leaseId)
    {
        _store = store;
        _container = container;
        _name = name;
        LeaseId = leaseId;
    }

    /// <inheritdoc />
    public string LeaseId { get; }

    /// <inheritdoc />
    public Task<bool> RenewAsync(CancellationToken cancellationToken) =>
        _store.RenewLeaseAsync(_container, _name, LeaseId, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _store.ReleaseLeaseAsync(_container, _name, LeaseId, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
