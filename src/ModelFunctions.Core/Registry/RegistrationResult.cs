namespace ModelFunctions.Core.Registry;

/// <summary>
/// What one registration did.
/// </summary>
/// <param name="Model">Model name as given.</param>
/// <param name="Version">Version as given.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Manifest">The version's manifest (the original one for a conflict); null when none could be recorded.</param>
/// <param name="FailedStage">The failing stage for a rejection or conflict, or null.</param>
/// <param name="Reason">Why it was rejected, refused or not promoted; null otherwise.</param>
/// <param name="Milliseconds">How long the registration took.</param>
public sealed record RegistrationResult(
    string Model,
    int Version,
    RegistrationOutcome Outcome,
    VersionManifest? Manifest,
    RegistrationStage? FailedStage,
    string? Reason,
    double Milliseconds);
