namespace ModelFunctions.Core.Registry;

/// <summary>Why a registry operation was refused.</summary>
public enum RegistryErrorKind
{
    /// <summary>The model or version does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The request clashes with the current state, or the state kept changing under it (HTTP 409).</summary>
    Conflict,

    /// <summary>The request itself is malformed (HTTP 400).</summary>
    Invalid,
}
