namespace ModelFunctions.Server.Tests.Support;

/// <summary>One malformed request: its kind, body, binary header length (null: none), and whether success is impossible.</summary>
internal sealed record FuzzCase(string Kind, byte[] Body, string? HeaderLength, bool MustFail);
