namespace ModelFunctions.Core.Registry;

/// <summary>
/// One version in a model listing.
/// </summary>
/// <param name="Version">Version number.</param>
/// <param name="Status">Ready or Rejected.</param>
/// <param name="FailedStage">The stage that rejected it, or null.</param>
/// <param name="Reason">The rejection (or non-promotion) reason, or null.</param>
/// <param name="RegisteredAt">When it was registered.</param>
public sealed record VersionSummary(
    int Version,
    VersionStatus Status,
    RegistrationStage? FailedStage,
    string? Reason,
    DateTimeOffset RegisteredAt);
