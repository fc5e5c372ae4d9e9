using System.Text.Json;

namespace ModelFunctions.Functions.Tests.Deployment;

/// <summary>infra/main.bicep compiled to ARM JSON once, with each module's nested template by deployment name.</summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime
{
    private JsonDocument? _document;

    /// <summary>The main template.</summary>
    public JsonElement Main => _document!.RootElement;

    /// <summary>The template of the module deployed under <paramref name="deployment"/> (e.g. "functionapp").</summary>
    public JsonElement Module(string deployment) =>
        Main.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == deployment)
            .GetProperty("properties").GetProperty("template");

    /// <summary>The resources of a module of the given type.</summary>
    public IEnumerable<JsonElement> Resources(string deployment, string type) =>
        Module(deployment).GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("type").GetString() == type);

    /// <summary>The compiled JSON as text.</summary>
    public string Text => Main.GetRawText();

    public async Task InitializeAsync() => _document = await Bicep.CompileAsync(RepositoryRoot.File("infra/main.bicep"));

    public Task DisposeAsync()
    {
        _document?.Dispose();
        return Task.CompletedTask;
    }
}
