namespace ModelFunctions.Core.Serving;

/// <summary>
/// A model version has too many requests waiting; the caller should retry later (503).
/// </summary>
public sealed class QueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QueueFullException(string message) : base(message)
    {
    }
}
