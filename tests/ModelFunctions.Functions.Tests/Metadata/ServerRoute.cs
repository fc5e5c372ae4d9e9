namespace ModelFunctions.Functions.Tests.Metadata;

/// <summary>A route the server maps.</summary>
public sealed record ServerRoute(string Verb, string Route, HashSet<string> Tags);
