namespace ModelFunctions.Core.Registry;

/// <summary>
/// A dropped blob a scan could not register, because its name does not fit the layout or the registration failed.
/// </summary>
/// <param name="BlobName">The blob's name in the models container.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record ScanProblem(string BlobName, string Reason);
