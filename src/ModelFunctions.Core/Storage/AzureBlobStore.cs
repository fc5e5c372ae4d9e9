using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security;
using System.Text;
using System.Xml;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Azure Blob Storage through its REST API on an Azure.Core pipeline (retries with exponential backoff, per-try
/// network timeout, logging), authorized by shared key, SAS or a Microsoft Entra token credential.
/// </summary>
internal sealed class AzureBlobStore : IBlobStore
{
    /// <summary>The Blob service REST API version every request names.</summary>
    public const string ApiVersion = "2025-11-05";

    /// <summary>OAuth scope of Azure Storage.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private const int CopyBufferSize = 1 << 20;
    private const int MaxDownloadAttempts = 3;

    private readonly HttpPipeline _pipeline;
    private readonly AzureBlobEndpoint _endpoint;
    private readonly AzureBlobStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _serviceUrl;

    /// <summary>Creates the store; no request is sent until it is used.</summary>
    public AzureBlobStore(AzureBlobEndpoint endpoint, AzureBlobStoreOptions options, ILogger<AzureBlobStore> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _endpoint = endpoint;
        _options = options;
        _logger = logger;
        _serviceUrl = endpoint.ServiceUri.GetLeftPart(UriPartial.Path).TrimEnd('/');

        var clientOptions = new AzureBlobClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.Diagnostics.ApplicationId = "ModelFunctions";
        clientOptions.Diagnostics.LoggedHeaderNames.Add("x-ms-error-code");
        clientOptions.Diagnostics.LoggedHeaderNames.Add("x-ms-request-id");
        clientOptions.Diagnostics.LoggedHeaderNames.Add("x-ms-version");
        clientOptions.Diagnostics.LoggedQueryParameters.Add("comp");
        clientOptions.Diagnostics.LoggedQueryParameters.Add("restype");

        var perRetry = new List<HttpPipelinePolicy> { new StorageDatePolicy(time ?? TimeProvider.System) };
        if (endpoint.AccountKey is not null)
        {
            perRetry.Add(new SharedKeyPolicy(
                endpoint.AccountName ?? throw new ArgumentException("Shared key needs the account name.", nameof(endpoint)),
                endpoint.AccountKey));
        }
        else if (endpoint.Credential is not null)
        {
            perRetry.Add(new BearerTokenAuthenticationPolicy(endpoint.Credential, StorageScope));
        }

        _pipeline = HttpPipelineBuilder.Build(clientOptions, [], perRetry.ToArray(), new ResponseClassifier());
    }

    /// <inheritdoc />
    public string Description => $"Azure Blob Storage at {_endpoint}";

    /// <inheritdoc />
    public async Task EnsureContainerAsync(string container, CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        using var message = CreateMessage(RequestMethod.Put, ContainerUrl(container, "restype=container"));
        var response = await SendAsync(message, "Create Container", container, null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && ErrorCode(response) == "ContainerAlreadyExists")
        {
            return;
        }

        EnsureStatus(response, "Create Container", container, null, 201);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobItem> ListAsync(
        string container,
        string? prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidatePrefix(prefix);
        string? marker = null;
        do
        {
            var query = new StringBuilder("restype=container&comp=list&include=metadata");
            query.Append("&maxresults=").Append(_options.ListPageSize.ToString(CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(prefix))
            {
                query.Append("&prefix=").Append(Uri.EscapeDataString(prefix));
            }

            if (marker is not null)
            {
                query.Append("&marker=").Append(Uri.EscapeDataString(marker));
            }

            List<BlobItem> items;
            using (var message = CreateMessage(RequestMethod.Get, ContainerUrl(container, query.ToString())))
            {
                var response = await SendAsync(message, "List Blobs", container, prefix, cancellationToken).ConfigureAwait(false);
                EnsureStatus(response, "List Blobs", container, prefix, 200);
                try
                {
                    (items, marker) = BlobListParser.Parse(response.ContentStream!);
                }
                catch (Exception ex) when (ex is XmlException or FormatException or OverflowException)
                {
                    throw new BlobStoreException($"List Blobs of '{container}' on {Description} answered unreadable XML: {ex.Message}", response.Status, ex);
                }
            }

            foreach (var item in items)
            {
                yield return item;
            }
        }
        while (marker is not null);
    }

    /// <inheritdoc />
    public async Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        using var message = CreateMessage(RequestMethod.Head, BlobUrl(container, name, null));
        var response = await SendAsync(message, "Get Blob Properties", container, name, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        EnsureStatus(response, "Get Blob Properties", container, name, 200);
        return ItemFromHeaders(name, response, ContentLength(response));
    }

    /// <inheritdoc />
    public async Task<BlobDownload?> OpenReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        using var message = CreateMessage(RequestMethod.Get, BlobUrl(container, name, null));
        message.BufferResponse = false;
        var response = await SendAsync(message, "Get Blob", container, name, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        EnsureStatus(response, "Get Blob", container, name, 200);
        var item = ItemFromHeaders(name, response, ContentLength(response));
        var stream = message.ExtractResponseContent() ?? Stream.Null;
        return new BlobDownload(item, stream);
    }

    /// <inheritdoc />
    public async Task<BlobItem?> DownloadToFileAsync(string container, string name, string path, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
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
                await DownloadVersionAsync(container, name, item, temp, cancellationToken).ConfigureAwait(false);
                File.Move(temp, path, overwrite: true);
                return item;
            }
            catch (BlobConditionFailedException) when (attempt < MaxDownloadAttempts)
            {
                _logger.LogInformation("Blob {Container}/{Blob} changed during download; starting again (attempt {Attempt})", container, name, attempt + 1);
            }
            catch (BlobConditionFailedException ex)
            {
                throw new BlobStoreException($"Blob '{container}/{name}' kept changing during download ({MaxDownloadAttempts} attempts).", 412, ex);
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
        ValidateName(container, name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(condition);
        BlobNames.ValidateMetadata(metadata);

        var first = ArrayPool<byte>.Shared.Rent(_options.BlockSize);
        try
        {
            var read = await content.ReadAtLeastAsync(first.AsMemory(0, _options.BlockSize), _options.BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < _options.BlockSize)
            {
                return await PutSingleAsync(container, name, first.AsMemory(0, read), condition, metadata, cancellationToken).ConfigureAwait(false);
            }

            return await PutBlocksAsync(container, name, first, content, condition, metadata, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string name, BlobCondition condition, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.IfNotExists)
        {
            // "Delete only if absent" can never delete anything; not every service honours If-None-Match on DELETE.
            return await GetPropertiesAsync(container, name, cancellationToken).ConfigureAwait(false) is null
                ? false
                : throw new BlobConditionFailedException(container, name);
        }

        using var message = CreateMessage(RequestMethod.Delete, BlobUrl(container, name, null));
        AddCondition(message.Request, condition);
        var response = await SendAsync(message, "Delete Blob", container, name, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return false;
        }

        ThrowIfConditionFailed(response, container, name);
        EnsureStatus(response, "Delete Blob", container, name, 202);
        return true;
    }

    /// <inheritdoc />
    public async Task<IBlobLease?> TryAcquireLeaseAsync(string container, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        ValidateName(container, name);
        var seconds = BlobNames.ValidateLeaseDuration(duration);
        for (var attempt = 0; ; attempt++)
        {
            using var message = CreateMessage(RequestMethod.Put, BlobUrl(container, name, "comp=lease"));
            message.Request.Headers.Add("x-ms-lease-action", "acquire");
            message.Request.Headers.Add("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture));
            message.Request.Headers.Add("x-ms-proposed-lease-id", Guid.NewGuid().ToString());
            var response = await SendAsync(message, "Lease Blob (acquire)", container, name, cancellationToken).ConfigureAwait(false);
            if (response.Status == 409 && ErrorCode(response) == "LeaseAlreadyPresent")
            {
                return null;
            }

            if (response.Status == 404 && ErrorCode(response) == "BlobNotFound" && attempt == 0)
            {
                await CreateEmptyIfAbsentAsync(container, name, cancellationToken).ConfigureAwait(false);
                continue;
            }

            EnsureStatus(response, "Lease Blob (acquire)", container, name, 201);
            var leaseId = response.Headers.TryGetValue("x-ms-lease-id", out var id) ? id : null;
            if (string.IsNullOrEmpty(leaseId))
            {
                throw new BlobStoreException($"Lease Blob of '{container}/{name}' on {Description} answered no lease id.", response.Status);
            }

            return new AzureBlobLease(this, container, name, leaseId);
        }
    }

    /// <summary>Renews a lease; false when it is no longer held.</summary>
    internal async Task<bool> RenewLeaseAsync(string container, string name, string leaseId, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Put, BlobUrl(container, name, "comp=lease"));
        message.Request.Headers.Add("x-ms-lease-action", "renew");
        message.Request.Headers.Add("x-ms-lease-id", leaseId);
        var response = await SendAsync(message, "Lease Blob (renew)", container, name, cancellationToken).ConfigureAwait(false);
        if (response.Status is 404 or 409 or 412)
        {
            return false;
        }

        EnsureStatus(response, "Lease Blob (renew)", container, name, 200);
        return true;
    }

    /// <summary>Releases a lease. A lease already lost needs no release; other failures are logged, as the lease expires anyway.</summary>
    internal async Task ReleaseLeaseAsync(string container, string name, string leaseId, CancellationToken cancellationToken)
    {
        try
        {
            using var message = CreateMessage(RequestMethod.Put, BlobUrl(container, name, "comp=lease"));
            message.Request.Headers.Add("x-ms-lease-action", "release");
            message.Request.Headers.Add("x-ms-lease-id", leaseId);
            var response = await SendAsync(message, "Lease Blob (release)", container, name, cancellationToken).ConfigureAwait(false);
            if (response.Status is not (404 or 409 or 412))
            {
                EnsureStatus(response, "Lease Blob (release)", container, name, 200);
            }
        }
        catch (BlobStoreException ex)
        {
            _logger.LogWarning(ex, "Could not release the lease on {Container}/{Blob}; it will expire", container, name);
        }
    }

    /// <summary>ETags in headers are quoted; List Blobs gives them bare. Both become the quoted form.</summary>
    internal static string QuoteETag(string etag) =>
        etag.StartsWith('"') ? etag : $"\"{etag}\"";

    private async Task CreateEmptyIfAbsentAsync(string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            await PutSingleAsync(container, name, ReadOnlyMemory<byte>.Empty, BlobCondition.IfAbsent, null, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException)
        {
            // Someone else created it meanwhile: the lease is taken on theirs.
        }
    }

    private async Task<BlobItem> PutSingleAsync(
        string container,
        string name,
        ReadOnlyMemory<byte> content,
        BlobCondition condition,
        IReadOnlyDictionary<string, string>? metadata,
        CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Put, BlobUrl(container, name, null));
        var request = message.Request;
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Headers.Add("Content-Type", "application/octet-stream");
        AddCondition(request, condition);
        AddMetadata(request, metadata);
        request.Content = RequestContent.Create(content);
        var response = await SendAsync(message, "Put Blob", container, name, cancellationToken).ConfigureAwait(false);
        ThrowIfConditionFailed(response, container, name, condition);
        EnsureStatus(response, "Put Blob", container, name, 201);
        return ItemFromHeaders(name, response, content.Length, metadata);
    }

    private async Task<BlobItem> PutBlocksAsync(
        string container,
        string name,
        byte[] first,
        Stream content,
        BlobCondition condition,
        IReadOnlyDictionary<string, string>? metadata,
        CancellationToken cancellationToken)
    {
        // Ids unique to this upload (so concurrent uploads of one name do not mix blocks), all of one length.
        var uploadId = Guid.NewGuid().ToByteArray();
        var blockIds = new List<string>();
        var inFlight = new List<Task>();
        using var gate = new SemaphoreSlim(_options.MaxParallelism);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(_options.BlockSize);
        first.AsSpan(0, _options.BlockSize).CopyTo(buffer);
        var length = _options.BlockSize;
        try
        {
            while (length > 0)
            {
                var blockId = BlockId(uploadId, blockIds.Count);
                blockIds.Add(blockId);
                total += length;
                await gate.WaitAsync(failed.Token).ConfigureAwait(false);
                inFlight.Add(UploadBlockAsync(container, name, blockId, buffer, length, gate, failed));
                buffer = ArrayPool<byte>.Shared.Rent(_options.BlockSize);
                length = await content.ReadAtLeastAsync(buffer.AsMemory(0, _options.BlockSize), _options.BlockSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            try
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A block failed and cancelled its siblings; that failure is rethrown below.
            }
        }

        foreach (var task in inFlight.Where(t => t.IsFaulted))
        {
            await task.ConfigureAwait(false);
        }

        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in blockIds)
        {
            xml.Append("<Latest>").Append(SecurityElement.Escape(id)).Append("</Latest>");
        }

        xml.Append("</BlockList>");
        var body = Encoding.UTF8.GetBytes(xml.ToString());
        using var message = CreateMessage(RequestMethod.Put, BlobUrl(container, name, "comp=blocklist"));
        var request = message.Request;
        request.Headers.Add("Content-Type", "application/xml");
        request.Headers.Add("x-ms-blob-content-type", "application/octet-stream");
        AddCondition(request, condition);
        AddMetadata(request, metadata);
        request.Content = RequestContent.Create(body);
        var response = await SendAsync(message, "Put Block List", container, name, cancellationToken).ConfigureAwait(false);
        ThrowIfConditionFailed(response, container, name, condition);
        EnsureStatus(response, "Put Block List", container, name, 201);
        _logger.LogDebug("Uploaded {Container}/{Blob} in {Blocks} blocks ({Length} bytes)", container, name, blockIds.Count, total);
        return ItemFromHeaders(name, response, total, metadata);
    }

    private async Task UploadBlockAsync(string container, string name, string blockId, byte[] buffer, int length, SemaphoreSlim gate, CancellationTokenSource failed)
    {
        try
        {
            using var message = CreateMessage(RequestMethod.Put, BlobUrl(container, name, "comp=block&blockid=" + Uri.EscapeDataString(blockId)));
            message.Request.Content = RequestContent.Create(buffer.AsMemory(0, length));
            var response = await SendAsync(message, "Put Block", container, name, failed.Token).ConfigureAwait(false);
            EnsureStatus(response, "Put Block", container, name, 201);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            gate.Release();
        }
    }

    private static string BlockId(byte[] uploadId, int index)
    {
        Span<byte> raw = stackalloc byte[20];
        uploadId.CopyTo(raw);
        BitConverter.TryWriteBytes(raw[16..], index);
        return Convert.ToBase64String(raw);
    }

    private async Task DownloadVersionAsync(string container, string name, BlobItem item, string temp, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, item.Length);
        var chunk = (long)_options.DownloadChunkSize;
        if (item.Length <= chunk)
        {
            await DownloadRangeAsync(container, name, item, handle, 0, item.Length, ranged: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var starts = Enumerable.Range(0, (int)((item.Length + chunk - 1) / chunk)).Select(i => i * chunk);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(starts, parallel, async (start, ct) =>
            {
                var count = Math.Min(chunk, item.Length - start);
                await DownloadRangeAsync(container, name, item, handle, start, count, ranged: true, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        RandomAccess.FlushToDisk(handle);
    }

    private async Task DownloadRangeAsync(
        string container,
        string name,
        BlobItem item,
        Microsoft.Win32.SafeHandles.SafeFileHandle handle,
        long start,
        long count,
        bool ranged,
        CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, BlobUrl(container, name, null));
        message.BufferResponse = false;
        // Pinned to the version whose size was read, so a concurrent overwrite fails instead of mixing versions.
        message.Request.Headers.Add("If-Match", item.ETag);
        if (ranged)
        {
            message.Request.Headers.Add("x-ms-range", string.Create(CultureInfo.InvariantCulture, $"bytes={start}-{start + count - 1}"));
        }

        var response = await SendAsync(message, "Get Blob", container, name, cancellationToken).ConfigureAwait(false);
        if (response.Status is 412 or 404)
        {
            throw new BlobConditionFailedException(container, name);
        }

        EnsureStatus(response, "Get Blob", container, name, ranged ? 206 : 200);
        await using var stream = message.ExtractResponseContent() ?? Stream.Null;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long written = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (written + read > count)
                {
                    throw new BlobStoreException($"Get Blob of '{container}/{name}' on {Description} sent more than the {count} bytes asked for.", response.Status);
                }

                await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), start + written, cancellationToken).ConfigureAwait(false);
                written += read;
            }

            if (written != count)
            {
                throw new BlobStoreException($"Get Blob of '{container}/{name}' on {Description} ended after {written} of {count} bytes.", response.Status);
            }
        }
        catch (IOException ex)
        {
            throw new BlobStoreException($"Get Blob of '{container}/{name}' on {Description} was interrupted: {ex.Message}", response.Status, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private HttpMessage CreateMessage(RequestMethod method, string url)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url));
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, string operation, string container, string? name, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return message.Response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or OperationCanceledException or IOException or HttpRequestException)
        {
            _logger.LogWarning(ex, "{Operation} of {Container}/{Blob} on {Store} failed without an answer", operation, container, name, _endpoint.ToString());
            var reason = ex is AggregateException aggregate ? aggregate.InnerExceptions[^1].Message : ex.Message;
            throw new BlobStoreException(
                $"{operation} of '{container}/{name}' on {Description} failed after {_options.MaxRetries + 1} tries: {Redact(reason)}", null, ex);
        }
    }

    private void EnsureStatus(Response response, string operation, string container, string? name, int expected)
    {
        if (response.Status == expected)
        {
            return;
        }

        var code = ErrorCode(response);
        var detail = ErrorMessage(response);
        _logger.LogWarning(
            "{Operation} of {Container}/{Blob} on {Store} answered {Status} {ErrorCode}", operation, container, name, _endpoint.ToString(), response.Status, code);
        throw new BlobStoreException(
            $"{operation} of '{container}/{name}' on {Description} answered HTTP {response.Status} {code ?? response.ReasonPhrase}{(detail is null ? "" : ": " + Redact(detail))}",
            response.Status);
    }

    private static void ThrowIfConditionFailed(Response response, string container, string name, BlobCondition? condition = null)
    {
        var code = ErrorCode(response);
        var failed = (response.Status == 412 && code is null or "ConditionNotMet" or "TargetConditionNotMet")
            || (response.Status == 409 && code == "BlobAlreadyExists")
            || (response.Status == 404 && code == "BlobNotFound" && condition?.IfMatch is not null);
        if (failed)
        {
            throw new BlobConditionFailedException(container, name);
        }
    }

    private static void AddCondition(Request request, BlobCondition condition)
    {
        if (condition.IfMatch is not null)
        {
            request.Headers.Add("If-Match", condition.IfMatch);
        }

        if (condition.IfNotExists)
        {
            request.Headers.Add("If-None-Match", "*");
        }
    }

    private static void AddMetadata(Request request, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            request.Headers.Add("x-ms-meta-" + key, value);
        }
    }

    private static BlobItem ItemFromHeaders(string name, Response response, long length, IReadOnlyDictionary<string, string>? written = null)
    {
        var etag = response.Headers.TryGetValue("ETag", out var e) ? QuoteETag(e) : throw new BlobStoreException($"The service answered no ETag for '{name}'.", response.Status);
        var lastModified = response.Headers.TryGetValue("Last-Modified", out var lm)
            && DateTimeOffset.TryParse(lm, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.UtcNow;
        IReadOnlyDictionary<string, string> metadata;
        if (written is not null)
        {
            metadata = BlobNames.Copy(written);
        }
        else
        {
            var read = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in response.Headers)
            {
                if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
                {
                    read[header.Name["x-ms-meta-".Length..]] = header.Value;
                }
            }

            metadata = read;
        }

        return new BlobItem(name, length, etag, lastModified, metadata);
    }

    private static long ContentLength(Response response) =>
        response.Headers.TryGetValue("Content-Length", out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : 0;

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    private static string? ErrorMessage(Response response)
    {
        // Only buffered answers are read: a streamed body may be large and is not ours to drain here.
        if (response.ContentStream is not MemoryStream body || body.Length == 0)
        {
            return null;
        }

        try
        {
            body.Position = 0;
            using var reader = XmlReader.Create(body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Message")
                {
                    var message = reader.ReadElementContentAsString();
                    var firstLine = message.Split('\n')[0].Trim();
                    return firstLine.Length > 300 ? firstLine[..300] : firstLine;
                }
            }
        }
        catch (XmlException)
        {
            // Not an error document: the status and code say enough.
        }

        return null;
    }

    private string Redact(string text)
    {
        if (_endpoint.AccountKey is not null)
        {
            text = text.Replace(Convert.ToBase64String(_endpoint.AccountKey), "***", StringComparison.Ordinal);
        }

        if (_endpoint.SasToken is not null)
        {
            text = text.Replace(_endpoint.SasToken, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static void ValidateName(string container, string name)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.ValidateBlob(name);
    }

    private string ContainerUrl(string container, string query) => WithSas($"{_serviceUrl}/{container}?{query}");

    private string BlobUrl(string container, string name, string? query)
    {
        var path = string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
        return WithSas(query is null ? $"{_serviceUrl}/{container}/{path}" : $"{_serviceUrl}/{container}/{path}?{query}");
    }

    private string WithSas(string url) =>
        _endpoint.SasToken is null ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + _endpoint.SasToken;

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
