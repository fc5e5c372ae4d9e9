using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Blobs in a local folder: one sub-folder per container, blob names map to relative paths.
/// </summary>
/// <remarks>
/// Layout of a container folder:
/// <list type="bullet">
/// <item><c>&lt;name&gt;</c>: the content, written to a temp file in the same folder, flushed to disk and renamed over.</item>
/// <item><c>.blobmeta/&lt;name&gt;.props</c>: JSON sidecar with the ETag (a fresh random 128-bit token per write),
/// metadata, and the content's length and modification time when written. A file replaced by hand no longer matches
/// them and gets an ETag derived from its modification time and length instead, so it still changes.</item>
/// <item><c>.blobmeta/&lt;name&gt;.lease</c>: the lease id and its expiry.</item>
/// <item><c>.blobmeta/.lock</c>: the container's lock file. Every change (and every read that must match content to
/// ETag) happens under an exclusive OS lock on it, so conditions hold across threads and processes.</item>
/// </list>
/// A blob and a folder cannot share a name, so "a" and "a/b" cannot both exist here (Azure allows it).
/// </remarks>
internal sealed class FileSystemBlobStore : IBlobStore
{
    /// <summary>Folder inside each container that holds sidecars, leases and the lock; not a valid first name segment.</summary>
    public const string MetaFolder = ".blobmeta";

    /// <summary>Suffix of temp files; listing skips them and names may not end with it.</summary>
    public const string TempSuffix = ".mftmp";

    private const string SidecarSuffix = ".props";
    private const string LeaseSuffix = ".lease";
    private const int CopyBufferSize = 1 << 20;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.None,
        ReturnSpecialDirectories = false,
    };

    private readonly string _root;
    private readonly TimeSpan _lockTimeout;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _localLocks = new(StringComparer.Ordinal);

    /// <summary>Creates a store over <paramref name="root"/> (created on first use).</summary>
    public FileSystemBlobStore(string root, ILogger<FileSystemBlobStore> logger, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(logger);
        _root = Path.GetFullPath(root);
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        _logger = logger;
    }

    /// <inheritdoc />
    public string Description => $"folder '{_root}'";

    /// <summary>The full path of the store's root folder.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public Task EnsureContainerAsync(string container, CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(Path.Combine(ContainerPath(container), MetaFolder));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobItem> ListAsync(
        string container,
        string? prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidatePrefix(prefix);
        var containerPath = ContainerPath(container);
        if (!Directory.Exists(containerPath))
        {
            throw ContainerNotFound(container);
        }

        await Task.Yield();
        foreach (var name in ListNames(containerPath, prefix ?? string.Empty))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Files may vanish between enumeration and this read: such blobs are simply no longer listed.
            var item = ReadItem(container, name);
            if (item is not null)
            {
                yield return item;
            }
        }
    }

    /// <inheritdoc />
    public async Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        if (!Directory.Exists(ContainerPath(container)))
        {
            return null;
        }

        using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
        return ReadItem(container, name);
    }

    /// <inheritdoc />
    public async Task<BlobDownload?> OpenReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        var opened = await OpenLockedAsync(container, name, cancellationToken).ConfigureAwait(false);
        return opened is null ? null : new BlobDownload(opened.Value.Item, opened.Value.Stream);
    }

    /// <inheritdoc />
    public async Task<BlobItem?> DownloadToFileAsync(string container, string name, string path, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var opened = await OpenLockedAsync(container, name, cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            return null;
        }

        await using (opened.Value.Stream.ConfigureAwait(false))
        {
            await WriteFileAtomicallyAsync(Path.GetFullPath(path), opened.Value.Stream, cancellationToken).ConfigureAwait(false);
        }

        return opened.Value.Item;
    }

    /// <inheritdoc />
    public async Task<BlobItem> PutAsync(
        string container,
        string name,
        Stream content,
        BlobCondition condition,
        IReadOnlyDictionary<string, string>? metadata,
        CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(condition);
        BlobNames.ValidateMetadata(metadata);
        var target = BlobPath(container, name);
        if (!Directory.Exists(ContainerPath(container)))
        {
            throw ContainerNotFound(container);
        }

        var folder = CreateParentFolder(container, name, target);
        // The content goes to disk before the lock is taken, so large writes do not hold up other writers.
        var temp = Path.Combine(folder, $".mf-{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
            var current = ReadItem(container, name);
            CheckCondition(container, name, current, condition);
            CheckNotLeased(container, name);
            ReplaceFile(temp, target, container, name);
            var item = WriteSidecar(container, name, metadata);
            _logger.LogDebug("Wrote {Container}/{Blob} ({Length} bytes, ETag {ETag})", container, name, item.Length, item.ETag);
            return item;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string name, BlobCondition condition, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        ArgumentNullException.ThrowIfNull(condition);
        if (!Directory.Exists(ContainerPath(container)))
        {
            return false;
        }

        using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
        var current = ReadItem(container, name);
        if (current is null)
        {
            return false;
        }

        CheckCondition(container, name, current, condition);
        CheckNotLeased(container, name);
        File.Delete(BlobPath(container, name));
        TryDelete(MetaPath(container, name, SidecarSuffix));
        TryDelete(MetaPath(container, name, LeaseSuffix));
        _logger.LogDebug("Deleted {Container}/{Blob}", container, name);
        return true;
    }

    /// <inheritdoc />
    public async Task<IBlobLease?> TryAcquireLeaseAsync(string container, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        BlobNames.ValidateLeaseDuration(duration);
        var target = BlobPath(container, name);
        if (!Directory.Exists(ContainerPath(container)))
        {
            throw ContainerNotFound(container);
        }

        using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var existing = ReadLease(container, name);
        if (existing is not null && existing.IsActive(now))
        {
            return null;
        }

        if (ReadItem(container, name) is null)
        {
            var folder = CreateParentFolder(container, name, target);
            var temp = Path.Combine(folder, $".mf-{Guid.NewGuid():N}{TempSuffix}");
            try
            {
                await File.WriteAllBytesAsync(temp, [], cancellationToken).ConfigureAwait(false);
                ReplaceFile(temp, target, container, name);
                WriteSidecar(container, name, null);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        var lease = new FileSystemLeaseRecord(Guid.NewGuid().ToString(), now + duration);
        WriteJsonAtomically(MetaPath(container, name, LeaseSuffix), lease);
        return new FileSystemBlobLease(this, container, name, lease.LeaseId, duration);
    }

    /// <summary>Extends a lease; false when it is no longer held under <paramref name="leaseId"/>.</summary>
    internal async Task<bool> RenewLeaseAsync(string container, string name, string leaseId, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
        var existing = ReadLease(container, name);
        if (existing is null || existing.LeaseId != leaseId || ReadItem(container, name) is null)
        {
            return false;
        }

        WriteJsonAtomically(MetaPath(container, name, LeaseSuffix), existing with { ExpiresUtc = DateTimeOffset.UtcNow + duration });
        return true;
    }

    /// <summary>Ends a lease when it is still held under <paramref name="leaseId"/>.</summary>
    internal async Task ReleaseLeaseAsync(string container, string name, string leaseId, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
        var existing = ReadLease(container, name);
        if (existing is not null && existing.LeaseId == leaseId)
        {
            TryDelete(MetaPath(container, name, LeaseSuffix));
        }
    }

    private static void ValidateName(string container, string name)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateBlob(name);
        if (name.Split('/')[0] == MetaFolder)
        {
            throw new ArgumentException($"Blob names starting with '{MetaFolder}/' are reserved by the folder store.", nameof(name));
        }

        if (name.EndsWith(TempSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob names ending with '{TempSuffix}' are reserved by the folder store.", nameof(name));
        }
    }

    private static BlobStoreException ContainerNotFound(string container) =>
        new($"Container '{container}' does not exist (ContainerNotFound).", 404);

    private static void CheckCondition(string container, string name, BlobItem? current, BlobCondition condition)
    {
        if (condition.IfNotExists && current is not null)
        {
            throw new BlobConditionFailedException(container, name);
        }

        if (condition.IfMatch is not null && (current is null || !string.Equals(current.ETag, condition.IfMatch, StringComparison.Ordinal)))
        {
            throw new BlobConditionFailedException(container, name);
        }
    }

    private void CheckNotLeased(string container, string name)
    {
        var lease = ReadLease(container, name);
        if (lease is not null && lease.IsActive(DateTimeOffset.UtcNow))
        {
            throw new BlobStoreException($"Blob '{container}/{name}' is leased; it cannot be changed until the lease ends (LeaseIdMissing).", 412);
        }
    }

    private static void ReplaceFile(string temp, string target, string container, string name)
    {
        try
        {
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BlobStoreException($"Blob '{container}/{name}' could not be written: {ex.Message}", null, ex);
        }
    }

    private string CreateParentFolder(string container, string name, string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (IOException ex)
        {
            throw new BlobStoreException(
                $"Blob '{container}/{name}' cannot be stored in {Description}: a blob already uses a folder name on its path.", null, ex);
        }
    }

    private async Task<(BlobItem Item, FileStream Stream)?> OpenLockedAsync(string container, string name, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(ContainerPath(container)))
        {
            return null;
        }

        using var held = await LockAsync(container, cancellationToken).ConfigureAwait(false);
        FileStream stream;
        try
        {
            // FileShare.Delete: a writer may rename a new version over this one while it is being read.
            stream = new FileStream(BlobPath(container, name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }

        var item = ReadItem(container, name);
        if (item is null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        return (item, stream);
    }

    private BlobItem? ReadItem(string container, string name)
    {
        var info = new FileInfo(BlobPath(container, name));
        long length;
        DateTime lastWrite;
        try
        {
            if (!info.Exists)
            {
                return null;
            }

            length = info.Length;
            lastWrite = info.LastWriteTimeUtc;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var sidecar = ReadJson<FileSystemBlobSidecar>(MetaPath(container, name, SidecarSuffix));
        var metadata = BlobNames.Copy(sidecar?.Metadata);
        var etag = sidecar is not null && sidecar.Length == length && sidecar.LastWriteUtcTicks == lastWrite.Ticks
            ? sidecar.ETag
            : $"\"fs-{lastWrite.Ticks:x}-{length:x}\"";
        return new BlobItem(name, length, etag, new DateTimeOffset(lastWrite, TimeSpan.Zero), metadata);
    }

    private BlobItem WriteSidecar(string container, string name, IReadOnlyDictionary<string, string>? metadata)
    {
        var info = new FileInfo(BlobPath(container, name));
        var etag = $"\"{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}\"";
        var copy = new Dictionary<string, string>(BlobNames.Copy(metadata), StringComparer.OrdinalIgnoreCase);
        var sidecar = new FileSystemBlobSidecar(etag, info.Length, info.LastWriteTimeUtc.Ticks, copy);
        WriteJsonAtomically(MetaPath(container, name, SidecarSuffix), sidecar);
        return new BlobItem(name, info.Length, etag, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), copy);
    }

    private FileSystemLeaseRecord? ReadLease(string container, string name) =>
        ReadJson<FileSystemLeaseRecord>(MetaPath(container, name, LeaseSuffix));

    private T? ReadJson<T>(string path)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException ex)
        {
            _logger.LogWarning(ex, "Ignoring unreadable sidecar {Path}", path);
            return null;
        }
    }

    private static void WriteJsonAtomically<T>(string path, T value)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".mf-{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, value);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static async Task WriteFileAtomicallyAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp file is skipped by listing and harmless.
        }
    }

    private IEnumerable<string> ListNames(string containerPath, string prefix)
    {
        // Start from the deepest folder the prefix names, so listing one model does not walk the whole container.
        var slash = prefix.LastIndexOf('/');
        var startRelative = slash < 0 ? string.Empty : prefix[..slash];
        var start = startRelative.Length == 0 ? containerPath : Path.Combine(containerPath, startRelative.Replace('/', Path.DirectorySeparatorChar));
        if (!Path.GetFullPath(start).StartsWith(containerPath, StringComparison.Ordinal) || !Directory.Exists(start))
        {
            return [];
        }

        var metaPath = Path.Combine(containerPath, MetaFolder);
        var names = new List<string>();
        var enumerable = new FileSystemEnumerable<string>(
            start,
            (ref FileSystemEntry entry) => Path.GetRelativePath(containerPath, entry.ToFullPath()).Replace(Path.DirectorySeparatorChar, '/'),
            ListOptions)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && !entry.FileName.EndsWith(TempSuffix, StringComparison.Ordinal),
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                !string.Equals(entry.ToFullPath(), metaPath, StringComparison.Ordinal),
        };

        try
        {
            foreach (var name in enumerable)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    names.Add(name);
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The folder went away while being listed: what was found so far is the listing.
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private async Task<IDisposable> LockAsync(string container, CancellationToken cancellationToken)
    {
        // The semaphore keeps this process's threads from spinning on the file lock; the file lock covers other processes.
        var local = _localLocks.GetOrAdd(container, _ => new SemaphoreSlim(1, 1));
        await local.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var meta = Path.Combine(ContainerPath(container), MetaFolder);
            Directory.CreateDirectory(meta);
            var fileLock = await FileLock.AcquireAsync(Path.Combine(meta, ".lock"), _lockTimeout, cancellationToken).ConfigureAwait(false);
            return new HeldContainerLock(fileLock, local);
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    private string ContainerPath(string container) => Path.Combine(_root, container);

    private string BlobPath(string container, string name) => SafeCombine(ContainerPath(container), name, string.Empty);

    private string MetaPath(string container, string name, string suffix) =>
        SafeCombine(Path.Combine(ContainerPath(container), MetaFolder), name, suffix);

    private static string SafeCombine(string folder, string name, string suffix)
    {
        var path = Path.GetFullPath(Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar) + suffix));
        // Names are validated already; this catches anything a platform would still resolve outside the folder.
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Blob name resolves outside its container.", nameof(name));
        }

        return path;
    }
}
