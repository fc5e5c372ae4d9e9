namespace ModelFunctions.Core.Storage;

/// <summary>
/// The store failed (unreachable, timed out, refused, or answered an unexpected status) after its own retries.
/// </summary>
public sealed class BlobStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BlobStoreException(string message, int? status = null, Exception? inner = null) : base(message, inner)
    {
        Status = status;
    }

    /// <summary>The HTTP status the service answered, when there was one.</summary>
    public int? Status { get; }
}
