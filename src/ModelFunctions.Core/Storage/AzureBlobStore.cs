using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Azure Blob Storage through the Azure SDK (<see cref="BlobServiceClient"/>): a thin adapter that maps the store's
/// contract onto the SDK's calls, its conditions onto <see cref="BlobRequestConditions"/> and its failures onto
/// <see cref="BlobStoreException"/> and <see cref="BlobConditionFailedException"/>. Retries, timeouts, parallel
/// transfers and authorization (shared key, SAS, Microsoft Entra) are the SDK's.
/// </summary>
internal sealed class AzureBlobStore : IBlobStore
{
    private const int MaxDownloadAttempts = 3;
    private const string ContentType = "application/octet-stream";

    private readonly BlobServiceClient _service;
    private readonly AzureBlobStoreOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the store over a client built with <see cref="AzureBlobStoreOptions.CreateClientOptions"/>; no request is sent until it is used.</summary>
    /// <param name="service">The account's blob service.</param>
    /// <param name="authKind">How the client authorizes (for messages: "shared key", "SAS", "Microsoft Entra ID", "anonymous").</param>
    /// <param name="options">Transfer sizes and list page size (the client carries the retries).</param>
    /// <param name="logger">Where failures are logged.</param>
    public AzureBlobStore(BlobServiceClient service, string authKind, AzureBlobStoreOptions options, ILogger<AzureBlobStore> logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(authKind);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _service = service;
        _options = options;
        _logger = logger;
        // The path only: a SAS in the query is a secret.
        Description = $"Azure Blob Storage at {service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')} ({authKind})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task EnsureContainerAsync(string container, CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        try
        {
            await _service.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Create Container", container, null);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobItem> ListAsync(
        string container,
        string? prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidatePrefix(prefix);
        var listing = new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = string.IsNullOrEmpty(prefix) ? null : prefix };
        var pages = _service.GetBlobContainerClient(container)
            .GetBlobsAsync(listing, cancellationToken)
            .AsPages(pageSizeHint: _options.ListPageSize)
            .GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
                {
                    throw Failure(ex, "List Blobs", container, prefix);
                }

                foreach (var blob in pages.Current.Values)
                {
                    yield return new BlobItem(
                        blob.Name,
                        blob.Properties.ContentLength ?? 0,
                        Tag(blob.Properties.ETag ?? throw new BlobStoreException($"List Blobs of '{container}' on {Description} answered '{blob.Name}' without an ETag.")),
                        blob.Properties.LastModified ?? DateTimeOffset.MinValue,
                        BlobNames.Copy(blob.Metadata));
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new BlobItem(name, properties.ContentLength, Tag(properties.ETag), properties.LastModified, BlobNames.Copy(properties.Metadata));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Get Blob Properties", container, name);
        }
    }

    /// <inheritdoc />
    public async Task<BlobDownload?> OpenReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        try
        {
            var result = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var details = result.Details;
            var item = new BlobItem(name, details.ContentLength, Tag(details.ETag), details.LastModified, BlobNames.Copy(details.Metadata));
            return new BlobDownload(item, result.Content);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Get Blob", container, name);
        }
    }

    /// <inheritdoc />
    public async Task<BlobItem?> DownloadToFileAsync(string container, string name, string path, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        for (var attempt = 1; ; attempt++)
        {
            var item = await GetPropertiesAsync(container, name, cancellationToken).ConfigureAwait(false);
            if (item is null)
            {
                return null;
            }

            var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
            try
            {
                await DownloadVersionAsync(blob, item, temp, cancellationToken).ConfigureAwait(false);
                File.Move(temp, path, overwrite: true);
                return item;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404 && attempt < MaxDownloadAttempts)
            {
                _logger.LogInformation("Blob {Container}/{Blob} changed during download; starting again (attempt {Attempt})", container, name, attempt + 1);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new BlobStoreException($"Blob '{container}/{name}' kept changing during download ({MaxDownloadAttempts} attempts).", 412, ex);
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken) || ex is IOException)
            {
                throw Failure(ex, "Get Blob", container, name);
            }
            finally
            {
                TryDelete(temp);
            }
        }
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
        var blob = Blob(container, name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(condition);
        BlobNames.ValidateMetadata(metadata);

        // A seekable stream lets the SDK size the upload and rewind on retry; any other is counted as it is read.
        var counted = content.CanSeek ? null : new CountingReadStream(content);
        var start = content.CanSeek ? content.Position : 0;
        var upload = new BlobUploadOptions
        {
            Conditions = Conditions(condition),
            Metadata = metadata is null ? null : new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase),
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
            TransferOptions = _options.UploadTransfer,
        };
        try
        {
            var written = (await blob.UploadAsync(counted ?? content, upload, cancellationToken).ConfigureAwait(false)).Value;
            var length = counted?.BytesRead ?? content.Position - start;
            return new BlobItem(name, length, Tag(written.ETag), written.LastModified, BlobNames.Copy(metadata));
        }
        catch (RequestFailedException ex) when (IsConditionFailure(ex, condition))
        {
            throw new BlobConditionFailedException(container, name);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Put Blob", container, name);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string name, BlobCondition condition, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.IfNotExists)
        {
            // "Delete only if absent" can never delete anything.
            return await GetPropertiesAsync(container, name, cancellationToken).ConfigureAwait(false) is null
                ? false
                : throw new BlobConditionFailedException(container, name);
        }

        try
        {
            return (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.None, Conditions(condition), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (IsConditionFailure(ex, condition))
        {
            throw new BlobConditionFailedException(container, name);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Delete Blob", container, name);
        }
    }

    /// <inheritdoc />
    public async Task<IBlobLease?> TryAcquireLeaseAsync(string container, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        var blob = Blob(container, name);
        var seconds = BlobNames.ValidateLeaseDuration(duration);
        var lease = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(TimeSpan.FromSeconds(seconds), cancellationToken: cancellationToken).ConfigureAwait(false);
                return new AzureBlobLease(this, lease, container, name);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
            {
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == BlobErrorCode.BlobNotFound && attempt == 0)
            {
                await CreateEmptyIfAbsentAsync(blob, container, name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                throw Failure(ex, "Lease Blob (acquire)", container, name);
            }
        }
    }

    /// <summary>Renews a lease; false when it is no longer held (taken by someone else, or the blob is gone).</summary>
    internal async Task<bool> RenewLeaseAsync(BlobLeaseClient lease, string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Lease Blob (renew)", container, name);
        }
    }

    /// <summary>Releases a lease. A lease already lost needs no release; other failures are logged, as the lease expires anyway.</summary>
    internal async Task ReleaseLeaseAsync(BlobLeaseClient lease, string container, string name)
    {
        try
        {
            await lease.ReleaseAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // Lost or gone: nothing to release.
        }
        catch (Exception ex) when (IsStoreFailure(ex, CancellationToken.None))
        {
            _logger.LogWarning(ex, "Could not release the lease on {Container}/{Blob}; it will expire", container, name);
        }
    }

    private BlobClient Blob(string container, string name)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateBlob(name);
        return _service.GetBlobContainerClient(container).GetBlobClient(name);
    }

    private async Task CreateEmptyIfAbsentAsync(BlobClient blob, string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Someone else created it first: fine, the lease is what matters.
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Failure(ex, "Put Blob", container, name);
        }
    }

    private async Task DownloadVersionAsync(BlobClient blob, BlobItem item, string temp, CancellationToken cancellationToken)
    {
        var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            if (item.Length > 0)
            {
                file.SetLength(item.Length);
            }

            var download = new BlobDownloadToOptions
            {
                // Pinned to the version whose size was read, so a concurrent overwrite fails instead of mixing versions.
                Conditions = new BlobRequestConditions { IfMatch = new ETag(item.ETag) },
                TransferOptions = _options.DownloadTransfer,
            };
            await blob.DownloadToAsync(file, download, cancellationToken).ConfigureAwait(false);
            if (file.Position != item.Length)
            {
                throw new BlobStoreException($"Get Blob of '{item.Name}' on {Description} gave {file.Position} bytes; the blob has {item.Length}.");
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
    }

    private static BlobRequestConditions? Conditions(BlobCondition condition) =>
        condition.IfMatch is not null ? new BlobRequestConditions { IfMatch = new ETag(condition.IfMatch) }
        : condition.IfNotExists ? new BlobRequestConditions { IfNoneMatch = ETag.All }
        : null;

    /// <summary>Whether the service refused a write because its condition did not hold (a lease conflict is not one).</summary>
    private static bool IsConditionFailure(RequestFailedException ex, BlobCondition condition) =>
        (ex.Status == 412 && (ex.ErrorCode is null || ex.ErrorCode == BlobErrorCode.ConditionNotMet || ex.ErrorCode == BlobErrorCode.TargetConditionNotMet))
        || (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        || (ex.Status == 404 && ex.ErrorCode == BlobErrorCode.BlobNotFound && condition.IfMatch is not null);

    /// <summary>Everything the SDK throws when the service fails or cannot be reached; not the caller's own cancellation.</summary>
    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is RequestFailedException or AggregateException or IOException or HttpRequestException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private BlobStoreException Failure(Exception ex, string operation, string container, string? name)
    {
        var target = name is null ? container : $"{container}/{name}";
        if (ex is RequestFailedException { Status: > 0 } answered)
        {
            _logger.LogWarning("{Operation} of {Blob} on {Store} answered {Status} {ErrorCode}", operation, target, Description, answered.Status, answered.ErrorCode);
            return new BlobStoreException(
                $"{operation} of '{target}' on {Description} answered HTTP {answered.Status} {answered.ErrorCode}: {FirstLine(answered.Message)}",
                answered.Status,
                ex);
        }

        _logger.LogWarning(ex, "{Operation} of {Blob} on {Store} failed without an answer", operation, target, Description);
        var reason = ex is AggregateException aggregate ? aggregate.InnerExceptions[^1].Message : ex.Message;
        return new BlobStoreException(
            $"{operation} of '{target}' on {Description} failed after {_options.MaxRetries + 1} tries: {FirstLine(reason)}", null, ex);
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        var first = (end < 0 ? line : line[..end]).Trim();
        return first.Length > 300 ? first[..300].ToString() : first.ToString();
    }

    /// <summary>ETags in the header form: quoted, as every store answers them.</summary>
    private static string Tag(ETag etag) => etag.ToString("H");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover partial download is named so nothing mistakes it for the file.
        }
    }
}
