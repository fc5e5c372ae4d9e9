namespace ModelFunctions.Core.Protocol;

/// <summary>
/// A request the protocol cannot accept, with the HTTP status to answer (400 bad request, 413 too large,
/// 415 unsupported media type) and a message that says what is wrong.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">HTTP status to answer with.</param>
    /// <param name="message">What is wrong, naming the input or field.</param>
    /// <param name="tensorName">The input or output concerned, or null.</param>
    public ProtocolException(int statusCode, string message, string? tensorName = null)
        : base(message)
    {
        StatusCode = statusCode;
        TensorName = tensorName;
    }

    /// <summary>HTTP status to answer with.</summary>
    public int StatusCode { get; }

    /// <summary>The input or output concerned, or null when the error is about the request as a whole.</summary>
    public string? TensorName { get; }

    internal static ProtocolException BadRequest(string message, string? tensorName = null) =>
        new(400, message, tensorName);

    internal static ProtocolException Input(string name, string problem) =>
        new(400, $"Input '{name}' {problem}", name);
}
