using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Http;

/// <summary>
/// JSON settings of the metadata endpoints: snake_case names as the Open Inference Protocol spells them.
/// </summary>
internal static class HttpJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
