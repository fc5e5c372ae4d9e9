namespace ModelFunctions.Core.Storage;

/// <summary>
/// Containers of named blobs: a local folder or Azure Blob Storage, with the same semantics.
/// Names use '/' as the separator. Every write is atomic: readers see the old content or the new, never a mix.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the store points, for logs and messages (never a secret).</summary>
    string Description { get; }

    /// <summary>Creates the container if it does not exist.</summary>
    Task EnsureContainerAsync(string container, CancellationToken cancellationToken);

    /// <summary>Lists blobs whose names start with <paramref name="prefix"/> (all when null), in name order.</summary>
    IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix, CancellationToken cancellationToken);

    /// <summary>A blob's properties, or null when it does not exist.</summary>
    Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading, or returns null when it does not exist. The caller disposes the result.</summary>
    Task<BlobDownload?> OpenReadAsync(string container, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Copies a blob to a local file (ranged, parallel reads for large blobs) and returns its properties,
    /// or null when it does not exist.
    /// </summary>
    Task<BlobItem?> DownloadToFileAsync(string container, string name, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a blob (block upload for large content) under a condition.
    /// </summary>
    /// <exception cref="BlobConditionFailedException">The condition did not hold; nothing was written.</exception>
    Task<BlobItem> PutAsync(
        string container,
        string name,
        Stream content,
        BlobCondition condition,
        IReadOnlyDictionary<string, string>? metadata,
        CancellationToken cancellationToken);

    /// <summary>Deletes a blob under a condition; false when it did not exist.</summary>
    /// <exception cref="BlobConditionFailedException">The condition did not hold; nothing was deleted.</exception>
    Task<bool> DeleteAsync(string container, string name, BlobCondition condition, CancellationToken cancellationToken);

    /// <summary>
    /// Takes an exclusive lease on a blob (created empty when absent) for <paramref name="duration"/>
    /// (15 to 60 seconds), or returns null when someone else holds it.
    /// </summary>
    Task<IBlobLease?> TryAcquireLeaseAsync(string container, string name, TimeSpan duration, CancellationToken cancellationToken);
}
