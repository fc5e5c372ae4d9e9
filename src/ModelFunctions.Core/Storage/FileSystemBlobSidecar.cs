namespace ModelFunctions.Core.Storage;

/// <summary>
/// What the folder store keeps beside a blob's content: its ETag and metadata, plus the length and modification
/// time the content had when written, so a file replaced by hand is detected (and gets a derived ETag).
/// </summary>
internal sealed record FileSystemBlobSidecar(
    string ETag,
    long Length,
    long LastWriteUtcTicks,
    Dictionary<string, string> Metadata);
