namespace ModelFunctions.Core.Serving;

/// <summary>
/// A request cannot be served as addressed: unknown model or version (404), not ready (503).
/// </summary>
public sealed class ServingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServingException(int statusCode, string message) : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status that fits.</summary>
    public int StatusCode { get; }
}
