using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// The JSON form of every registry document and API body: camelCase names, enums as camelCase strings.
/// </summary>
public static class RegistryJson
{
    /// <summary>The serializer options (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Serializes a document to UTF-8 bytes.</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Deserializes a document; throws <see cref="JsonException"/> when it is malformed or null.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The document is null, expected a {typeof(T).Name}.");
}
