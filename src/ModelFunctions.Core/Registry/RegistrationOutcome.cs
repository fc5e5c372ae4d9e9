namespace ModelFunctions.Core.Registry;

/// <summary>How a registration ended.</summary>
public enum RegistrationOutcome
{
    /// <summary>A new Ready version was recorded (and the promotion policy applied).</summary>
    Registered,

    /// <summary>The same file was already registered: nothing changed.</summary>
    AlreadyRegistered,

    /// <summary>The version failed a stage; a Rejected manifest was recorded where the name allowed it.</summary>
    Rejected,

    /// <summary>A different file arrived at a registered version and was refused; the original manifest stands.</summary>
    Conflict,
}
