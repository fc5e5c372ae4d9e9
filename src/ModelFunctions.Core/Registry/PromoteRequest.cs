namespace ModelFunctions.Core.Registry;

/// <summary>Body of <c>POST /api/models/{model}/promote</c>.</summary>
/// <param name="Version">The version to make production.</param>
/// <param name="Reason">Why (recorded in the history); optional.</param>
public sealed record PromoteRequest(int? Version, string? Reason = null);
