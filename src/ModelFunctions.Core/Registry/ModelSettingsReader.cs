using System.Text.Json;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Parses model.json into <see cref="ModelSettings"/>, naming the field at fault when it is malformed.
/// </summary>
public static class ModelSettingsReader
{
    /// <summary>Parses the settings, or throws <see cref="RegistryException"/> (Invalid) naming the bad field.</summary>
    public static ModelSettings Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw Invalid($"model.json is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("model.json must hold a JSON object.");
            }

            var settings = ModelSettings.Default;
            foreach (var property in root.EnumerateObject())
            {
                settings = property.Name.ToLowerInvariant() switch
                {
                    "policy" => settings with { Policy = ReadPolicy(property.Value) },
                    "canarypercent" => settings with { CanaryPercent = ReadInt(property.Value, "canaryPercent", 1, 99) },
                    "batching" => settings with { Batching = ReadBatching(property.Value) },
                    "rejectnonfinite" => settings with { RejectNonFinite = ReadBool(property.Value, "rejectNonFinite") },
                    "monitoring" => settings with { Monitoring = ReadMonitoring(property.Value) },
                    _ => settings,
                };
            }

            return settings;
        }
    }

    private static PromotionPolicy ReadPolicy(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString()?.ToLowerInvariant())
            {
                case "auto":
                    return PromotionPolicy.Auto;
                case "canary":
                    return PromotionPolicy.Canary;
                case "manual":
                    return PromotionPolicy.Manual;
            }
        }

        throw Invalid($"model.json field 'policy' must be \"auto\", \"canary\" or \"manual\", not {value.GetRawText()}.");
    }

    private static BatchingSettings ReadBatching(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("model.json field 'batching' must be an object.");
        }

        var batching = BatchingSettings.Default;
        foreach (var property in value.EnumerateObject())
        {
            batching = property.Name.ToLowerInvariant() switch
            {
                "enabled" => batching with
                {
                    Enabled = property.Value.ValueKind == JsonValueKind.Null ? null : ReadBool(property.Value, "batching.enabled"),
                },
                "maxbatchsize" => batching with { MaxBatchSize = ReadInt(property.Value, "batching.maxBatchSize", 1, 4096) },
                "maxqueuedelayms" => batching with { MaxQueueDelayMs = ReadInt(property.Value, "batching.maxQueueDelayMs", 0, 1000) },
                _ => batching,
            };
        }

        return batching;
    }

    private static JsonElement? ReadMonitoring(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("model.json field 'monitoring' must be an object.");
        }

        return value.Clone();
    }

    private static int ReadInt(JsonElement value, string field, int min, int max)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        throw Invalid($"model.json field '{field}' must be an integer from {min} to {max}, not {value.GetRawText()}.");
    }

    private static bool ReadBool(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid($"model.json field '{field}' must be true or false, not {value.GetRawText()}."),
    };

    private static RegistryException Invalid(string message) => new(RegistryErrorKind.Invalid, message);
}
