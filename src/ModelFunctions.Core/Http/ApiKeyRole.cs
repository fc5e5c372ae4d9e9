namespace ModelFunctions.Core.Http;

/// <summary>What a route needs from the caller's key.</summary>
public enum ApiKeyRole
{
    /// <summary>The inference key or the admin key.</summary>
    Inference,
    /// <summary>The admin key.</summary>
    Admin,
}
