namespace ModelFunctions.Core.Registry;

/// <summary>What happens to traffic when a new version registers as Ready.</summary>
public enum PromotionPolicy
{
    /// <summary>The highest Ready version becomes production, unless its signature breaks the production one.</summary>
    Auto,

    /// <summary>The new version becomes the canary at the configured share (production when there is none).</summary>
    Canary,

    /// <summary>Nothing: an operator promotes by hand.</summary>
    Manual,
}
