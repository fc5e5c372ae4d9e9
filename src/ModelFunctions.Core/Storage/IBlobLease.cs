namespace ModelFunctions.Core.Storage;

/// <summary>
/// An exclusive lease on a blob. Disposing releases it; a lease that is neither renewed nor released expires.
/// </summary>
public interface IBlobLease : IAsyncDisposable
{
    /// <summary>The lease id.</summary>
    string LeaseId { get; }

    /// <summary>Extends the lease by its duration; false when it was lost (expired and taken by someone else).</summary>
    Task<bool> RenewAsync(CancellationToken cancellationToken);
}
