namespace ModelFunctions.Bench.Load;

/// <summary>A prepared request body, sent unchanged by every worker.</summary>
internal sealed record RequestBody(byte[] Content, int? HeaderLength);
