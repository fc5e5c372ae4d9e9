namespace ModelFunctions.Core.Http;

/// <summary>
/// Keys callers present in the <c>x-api-key</c> header. Bound from <c>ModelFunctions:Keys</c>. When a key is not
/// set, the endpoints it guards are open (the self-hosted default on loopback). Health endpoints are always open.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:Keys";

    /// <summary>Header that carries the key.</summary>
    public const string HeaderName = "x-api-key";

    /// <summary>Key for inference and metadata; the admin key is accepted too.</summary>
    public string? Inference { get; set; }

    /// <summary>Key for registry changes and monitoring runs.</summary>
    public string? Admin { get; set; }
}
