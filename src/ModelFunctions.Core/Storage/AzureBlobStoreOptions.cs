using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Tuning of <see cref="AzureBlobStore"/>: the SDK client's retries and timeout, list page size, transfer sizes.
/// Bound from <c>ModelFunctions:StoreClient</c>.
/// </summary>
internal sealed class AzureBlobStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:StoreClient";

    /// <summary>Retries after the first try of a request that failed in a retriable way (network, 408, 429, 5xx). Default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First delay of the exponential backoff. Default 0.8 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Longest delay between tries. Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one try may wait for the network (connect, headers, or a read of the body). Default 100 s.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Blobs per List Blobs page (the service caps it at 5000). Default 5000.</summary>
    public int ListPageSize { get; set; } = 5000;

    /// <summary>Content up to this size goes in one Put Blob; larger content goes in blocks of this size. Default 8 MiB.</summary>
    public int BlockSize { get; set; } = 8 << 20;

    /// <summary>Blobs larger than this are downloaded in ranges of this size. Default 8 MiB.</summary>
    public int DownloadChunkSize { get; set; } = 8 << 20;

    /// <summary>Blocks or ranges in flight at once. Default 4.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>Fails fast on values that cannot work.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(ListPageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ListPageSize, 5000);
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockSize, 64 << 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BlockSize, 100 << 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(DownloadChunkSize, 64 << 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NetworkTimeout, TimeSpan.Zero);
    }

    /// <summary>The SDK client options these values describe: exponential retries, the per-try timeout, an application id.</summary>
    public BlobClientOptions CreateClientOptions()
    {
        Validate();
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.MaxDelay = MaxRetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        options.Diagnostics.ApplicationId = "ModelFunctions";
        return options;
    }

    /// <summary>Block sizes and parallelism of an upload.</summary>
    public StorageTransferOptions UploadTransfer => new()
    {
        InitialTransferSize = BlockSize,
        MaximumTransferSize = BlockSize,
        MaximumConcurrency = MaxParallelism,
    };

    /// <summary>Range sizes and parallelism of a download to a file.</summary>
    public StorageTransferOptions DownloadTransfer => new()
    {
        InitialTransferSize = DownloadChunkSize,
        MaximumTransferSize = DownloadChunkSize,
        MaximumConcurrency = MaxParallelism,
    };
}
