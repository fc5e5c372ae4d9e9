namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>State of one (model, version, signal).</summary>
public enum AlertState
{
    /// <summary>Within thresholds, never fired.</summary>
    Ok,

    /// <summary>Breaching its threshold.</summary>
    Firing,

    /// <summary>Back within thresholds after firing.</summary>
    Resolved,

    /// <summary>Was firing when its version stopped serving (neither production nor canary): nothing left to check.</summary>
    Retired,
}
