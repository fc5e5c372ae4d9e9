using System.Text.Json;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// An output named in the <c>outputs</c> list of an inference request.
/// </summary>
/// <param name="Name">Output name.</param>
/// <param name="Binary">The output's <c>binary_data</c> parameter; null when not given.</param>
/// <param name="Parameters">The output's parameters, or null.</param>
public sealed record RequestedOutput(string Name, bool? Binary, IReadOnlyDictionary<string, JsonElement>? Parameters);
