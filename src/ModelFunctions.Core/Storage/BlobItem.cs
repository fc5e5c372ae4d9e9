namespace ModelFunctions.Core.Storage;

/// <summary>
/// A blob's name and properties.
/// </summary>
/// <param name="Name">Full name within the container.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="ETag">Opaque version tag; changes on every write.</param>
/// <param name="LastModified">Time of the last write.</param>
/// <param name="Metadata">User metadata (names are case-insensitive ASCII identifiers).</param>
public sealed record BlobItem(
    string Name,
    long Length,
    string ETag,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, string> Metadata);
