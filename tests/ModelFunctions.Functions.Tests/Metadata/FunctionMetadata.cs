using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelFunctions.Functions.Tests.Metadata;

/// <summary>One function of the functions.metadata file the Functions worker SDK generates at build, as the host reads it.</summary>
public sealed record FunctionMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scriptFile")] string ScriptFile,
    [property: JsonPropertyName("entryPoint")] string EntryPoint,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("bindings")] IReadOnlyList<BindingMetadata> Bindings)
{
    private static readonly JsonSerializerOptions Json = new() { ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>The file the build wrote next to the app (its path is baked into this assembly by the test project).</summary>
    public static string FilePath { get; } = typeof(FunctionMetadata).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionsMetadataPath").Value!;

    /// <summary>Every function in the generated file.</summary>
    public static IReadOnlyList<FunctionMetadata> Load()
    {
        Assert.True(File.Exists(FilePath), $"{FilePath} is missing: the Functions app's build generates it.");
        return JsonSerializer.Deserialize<List<FunctionMetadata>>(File.ReadAllText(FilePath), Json)!;
    }

    /// <summary>The function's trigger (the one binding whose type ends in "Trigger").</summary>
    public BindingMetadata Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));
}

/// <summary>One binding of a function in functions.metadata.</summary>
public sealed record BindingMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("authLevel")] string? AuthLevel,
    [property: JsonPropertyName("methods")] IReadOnlyList<string>? Methods,
    [property: JsonPropertyName("route")] string? Route,
    [property: JsonPropertyName("path")] string? Path,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("connection")] string? Connection,
    [property: JsonPropertyName("schedule")] string? Schedule);
