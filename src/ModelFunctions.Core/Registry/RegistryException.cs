namespace ModelFunctions.Core.Registry;

/// <summary>A registry operation was refused; the message names the field or version at fault.</summary>
public sealed class RegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryException(RegistryErrorKind kind, string message, Exception? inner = null) : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>The kind of refusal.</summary>
    public RegistryErrorKind Kind { get; }
}
