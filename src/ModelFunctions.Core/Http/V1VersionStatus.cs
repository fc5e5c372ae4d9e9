namespace ModelFunctions.Core.Http;

/// <summary>A version's state: AVAILABLE (servable) or END (rejected), with TF Serving's status object.</summary>
/// <param name="Version">Version number, as a string.</param>
/// <param name="State">AVAILABLE or END.</param>
/// <param name="Status">Error code and message.</param>
public sealed record V1VersionStatus(string Version, string State, V1Status Status);
