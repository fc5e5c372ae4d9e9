namespace ModelFunctions.Core.Registry;

/// <summary>The <see cref="StateChange.Action"/> values the registry writes.</summary>
public static class StateActions
{
    /// <summary>A version was registered as Ready (whether or not the policy moved traffic to it).</summary>
    public const string Register = "register";

    /// <summary>A version became production.</summary>
    public const string Promote = "promote";

    /// <summary>Production went back to the previous production version.</summary>
    public const string Rollback = "rollback";

    /// <summary>The canary version or its share changed (or the canary was cleared).</summary>
    public const string Traffic = "traffic";

    /// <summary>A different file arrived at an already registered version and was refused.</summary>
    public const string Conflict = "conflict";
}
