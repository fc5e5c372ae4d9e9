namespace ModelFunctions.Core.Registry;

/// <summary>
/// What one scan of the models container did.
/// </summary>
/// <param name="Registrations">Registrations attempted (new drops, and re-uploads over registered versions).</param>
/// <param name="Pending">Model blobs skipped because they changed too recently (possibly still being written).</param>
/// <param name="Problems">Blobs whose names do not fit the layout, and registrations that failed with an error.</param>
public sealed record ScanResult(
    IReadOnlyList<RegistrationResult> Registrations,
    IReadOnlyList<string> Pending,
    IReadOnlyList<ScanProblem> Problems);
