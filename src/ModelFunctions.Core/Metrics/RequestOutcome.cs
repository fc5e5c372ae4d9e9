namespace ModelFunctions.Core.Metrics;

/// <summary>How an inference request ended.</summary>
public enum RequestOutcome
{
    /// <summary>Answered 2xx.</summary>
    Success,
    /// <summary>Answered 4xx: the request was wrong.</summary>
    ClientError,
    /// <summary>Answered 503: not ready or overloaded.</summary>
    Unavailable,
    /// <summary>Answered 5xx: our fault.</summary>
    ServerError,
}
