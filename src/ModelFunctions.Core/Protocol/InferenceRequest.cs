using System.Text.Json;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// An Open Inference Protocol (V2) inference request, with its tensors already decoded.
/// </summary>
/// <param name="Id">The request's <c>id</c>, echoed in the response; null when not given.</param>
/// <param name="Parameters">Request-level parameters, or null.</param>
/// <param name="Inputs">Input tensors in request order.</param>
/// <param name="Outputs">Requested outputs; null when the request names none (every output is returned).</param>
public sealed record InferenceRequest(
    string? Id,
    IReadOnlyDictionary<string, JsonElement>? Parameters,
    IReadOnlyList<NamedTensor> Inputs,
    IReadOnlyList<RequestedOutput>? Outputs)
{
    /// <summary>Parameters of each input that carried any, keyed by input name; null when none did.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>>? InputParameters { get; init; }

    /// <summary>Whether outputs default to binary data (request parameter <c>binary_data_output: true</c>).</summary>
    public bool BinaryDataOutput =>
        Parameters is not null
        && Parameters.TryGetValue(ProtocolNames.BinaryDataOutput, out var value)
        && value.ValueKind == JsonValueKind.True;

    /// <summary>Names of the requested outputs in request order, or null when the request names none.</summary>
    public IReadOnlyList<string>? OutputNames
    {
        get
        {
            if (Outputs is null || Outputs.Count == 0)
            {
                return null;
            }

            var names = new string[Outputs.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Outputs[i].Name;
            }

            return names;
        }
    }

    /// <summary>
    /// Whether the output of that name is returned as binary data: its own <c>binary_data</c> parameter when
    /// given, else <see cref="BinaryDataOutput"/>.
    /// </summary>
    public bool IsBinaryOutput(string name)
    {
        if (Outputs is not null)
        {
            foreach (var output in Outputs)
            {
                if (output.Name == name && output.Binary is { } binary)
                {
                    return binary;
                }
            }
        }

        return BinaryDataOutput;
    }
}
