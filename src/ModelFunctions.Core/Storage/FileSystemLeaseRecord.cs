namespace ModelFunctions.Core.Storage;

/// <summary>A lease held on a blob of the folder store: its id and when it runs out.</summary>
internal sealed record FileSystemLeaseRecord(string LeaseId, DateTimeOffset ExpiresUtc)
{
    /// <summary>Whether the lease still holds at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => ExpiresUtc > now;
}
