namespace ModelFunctions.Core.Registry;

/// <summary>The body of every registry API error: <c>{"error": "..."}</c>.</summary>
/// <param name="Error">What went wrong, naming the field at fault.</param>
public sealed record ErrorResponse(string Error);
