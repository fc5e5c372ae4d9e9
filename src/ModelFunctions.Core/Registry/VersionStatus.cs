namespace ModelFunctions.Core.Registry;

/// <summary>Whether a registered version can be served.</summary>
public enum VersionStatus
{
    /// <summary>Validated: it can be promoted and served.</summary>
    Ready,

    /// <summary>Failed a registration stage: never served.</summary>
    Rejected,
}
