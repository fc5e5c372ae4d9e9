using System.Runtime.CompilerServices;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>
/// A real store whose writes fail, as a store going away would, while <see cref="FailWrites"/> matches the blob.
/// </summary>
internal sealed class FaultyBlobStore(IBlobStore inner) : IBlobStore
{
    public Func<string, string, bool> FailWrites { get; set; } = (_, _) => false;

    public int FailedWrites => Volatile.Read(ref _failedWrites);

    private int _failedWrites;

    public string Description => inner.Description;

    public Task EnsureContainerAsync(string container, CancellationToken cancellationToken) =>
        inner.EnsureContainerAsync(container, cancellationToken);

    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in inner.ListAsync(container, prefix, cancellationToken))
        {
            yield return item;
        }
    }

    public Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken) =>
        inner.GetPropertiesAsync(container, name, cancellationToken);

    public Task<BlobDownload?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
        inner.OpenReadAsync(container, name, cancellationToken);

    public Task<BlobItem?> DownloadToFileAsync(string container, string name, string path, CancellationToken cancellationToken) =>
        inner.DownloadToFileAsync(container, name, path, cancellationToken);

    public Task<BlobItem> PutAsync(string container, string name, Stream content, BlobCondition condition, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if (FailWrites(container, name))
        {
            Interlocked.Increment(ref _failedWrites);
            throw new BlobStoreException($"Injected fault writing '{container}/{name}'.", 503);
        }

        return inner.PutAsync(container, name, content, condition, metadata, cancellationToken);
    }

    public Task<bool> DeleteAsync(string container, string name, BlobCondition condition, CancellationToken cancellationToken) =>
        inner.DeleteAsync(container, name, condition, cancellationToken);

    public Task<IBlobLease?> TryAcquireLeaseAsync(string container, string name, TimeSpan duration, CancellationToken cancellationToken) =>
        inner.TryAcquireLeaseAsync(container, name, duration, cancellationToken);
}
