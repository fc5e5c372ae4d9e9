namespace ModelFunctions.Core.Http;

/// <summary>Body of <c>GET /v2</c>.</summary>
/// <param name="Name">Server name.</param>
/// <param name="Version">Server version.</param>
/// <param name="Extensions">Supported protocol extensions.</param>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions);
