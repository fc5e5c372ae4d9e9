namespace ModelFunctions.Core.Registry;

/// <summary>
/// One entry of a model's history.
/// </summary>
/// <param name="At">When it happened.</param>
/// <param name="Action">What happened: see <see cref="StateActions"/>.</param>
/// <param name="From">The version serving before (production, or the canary for traffic changes), or null.</param>
/// <param name="To">The version concerned after the change, or null.</param>
/// <param name="CanaryPercent">The canary share after a traffic change, or null.</param>
/// <param name="Reason">Who or what asked for it, and why.</param>
public sealed record StateChange(DateTimeOffset At, string Action, int? From, int? To, int? CanaryPercent, string Reason);
