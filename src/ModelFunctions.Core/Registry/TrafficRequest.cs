namespace ModelFunctions.Core.Registry;

/// <summary>Body of <c>PUT /api/models/{model}/traffic</c>; a null version or 0 percent clears the canary.</summary>
/// <param name="CanaryVersion">The canary version, or null.</param>
/// <param name="CanaryPercent">Its traffic share, 0 to 99.</param>
/// <param name="Reason">Why (recorded in the history); optional.</param>
public sealed record TrafficRequest(int? CanaryVersion, int? CanaryPercent, string? Reason = null);
