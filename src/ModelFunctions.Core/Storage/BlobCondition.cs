namespace ModelFunctions.Core.Storage;

/// <summary>
/// A precondition on a write or delete, as HTTP's If-Match / If-None-Match: none, "only if absent",
/// or "only if the blob still has this ETag".
/// </summary>
public sealed record BlobCondition
{
    private BlobCondition(string? ifMatch, bool ifNotExists)
    {
        IfMatch = ifMatch;
        IfNotExists = ifNotExists;
    }

    /// <summary>Write unconditionally.</summary>
    public static BlobCondition None { get; } = new(null, false);

    /// <summary>Write only when no blob of that name exists.</summary>
    public static BlobCondition IfAbsent { get; } = new(null, true);

    /// <summary>Write only when the blob exists with exactly this ETag.</summary>
    public static BlobCondition IfETagMatches(string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return new BlobCondition(etag, false);
    }

    /// <summary>The ETag the blob must have, or null.</summary>
    public string? IfMatch { get; }

    /// <summary>Whether the blob must not exist.</summary>
    public bool IfNotExists { get; }
}
