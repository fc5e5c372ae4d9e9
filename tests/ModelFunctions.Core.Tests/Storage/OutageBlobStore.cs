using System.Runtime.CompilerServices;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>
/// A real store that runs <see cref="BeforeWrite"/> before a write the test picks, so a test can take the real
/// service away (stop Azurite) at that exact moment; the write itself then goes to the real, absent service.
/// </summary>
internal sealed class OutageBlobStore(IBlobStore inner) : IBlobStore
{
    /// <summary>Runs once, before the first write whose container and name it matches (then it is cleared).</summary>
    public (Func<string, string, bool> Matches, Func<Task> Action)? BeforeWrite { get; set; }

    public string Description => inner.Description;

    public Task EnsureContainerAsync(string container, CancellationToken cancellationToken) => inner.EnsureContainerAsync(container, cancellationToken);

    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in inner.ListAsync(container, prefix, cancellationToken))
        {
            yield return item;
        }
    }

    public Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken) => inner.GetPropertiesAsync(container, name, cancellationToken);

    public Task<BlobDownload?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) => inner.OpenReadAsync(container, name, cancellationToken);

    public Task<BlobItem?> DownloadToFileAsync(string container, string name, string path, CancellationToken cancellationToken) =>
        inner.DownloadToFileAsync(container, name, path, cancellationToken);

    public async Task<BlobItem> PutAsync(string container, string name, Stream content, BlobCondition condition, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if (BeforeWrite is { } hook && hook.Matches(container, name))
        {
            BeforeWrite = null;
            await hook.Action();
        }

        return await inner.PutAsync(container, name, content, condition, metadata, cancellationToken);
    }

    public Task<bool> DeleteAsync(string container, string name, BlobCondition condition, CancellationToken cancellationToken) => inner.DeleteAsync(container, name, condition, cancellationToken);

    public Task<IBlobLease?> TryAcquireLeaseAsync(string container, string name, TimeSpan duration, CancellationToken cancellationToken) =>
        inner.TryAcquireLeaseAsync(container, name, duration, cancellationToken);
}
