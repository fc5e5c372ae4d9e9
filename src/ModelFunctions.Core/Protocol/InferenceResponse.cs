using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// An Open Inference Protocol (V2) inference response.
/// </summary>
/// <param name="ModelName">Name of the model that answered.</param>
/// <param name="ModelVersion">Version that answered, or null.</param>
/// <param name="Id">The request's <c>id</c>, or null when it gave none.</param>
/// <param name="Parameters">Response-level parameters, or null.</param>
/// <param name="Outputs">Output tensors in response order.</param>
public sealed record InferenceResponse(
    string ModelName,
    string? ModelVersion,
    string? Id,
    IReadOnlyDictionary<string, JsonElement>? Parameters,
    IReadOnlyList<NamedTensor> Outputs);
