namespace ModelFunctions.Core.Registry;

/// <summary>
/// A model as the registry sees it: its registered versions and which of them serve.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Production">The production version, or null.</param>
/// <param name="Canary">The canary version, or null.</param>
/// <param name="CanaryPercent">The canary's traffic share (0 without a canary).</param>
/// <param name="Versions">Registered versions in ascending order.</param>
public sealed record ModelSummary(
    string Model,
    int? Production,
    int? Canary,
    int CanaryPercent,
    IReadOnlyList<VersionSummary> Versions);
