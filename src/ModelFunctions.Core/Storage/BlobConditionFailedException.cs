namespace ModelFunctions.Core.Storage;

/// <summary>
/// A conditional write or delete found the blob changed (or present, for <see cref="BlobCondition.IfAbsent"/>).
/// </summary>
public sealed class BlobConditionFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BlobConditionFailedException(string container, string name)
        : base($"Blob '{container}/{name}' changed since it was read (condition failed).")
    {
        Container = container;
        Name = name;
    }

    /// <summary>The blob's container.</summary>
    public string Container { get; }

    /// <summary>The blob's name.</summary>
    public string Name { get; }
}
