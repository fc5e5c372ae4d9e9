using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Inference;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>A registry and registrar over a real store, with helpers to drop files into the models container.</summary>
internal sealed class RegistryHarness : IDisposable
{
    public RegistryHarness(IBlobStore store, RegistrationOptions? options = null)
    {
        WorkFolder = Directory.CreateTempSubdirectory("mf-registry-work-").FullName;
        Faulty = new FaultyBlobStore(store);
        Store = Faulty;
        Options = options ?? new RegistrationOptions { StableFor = TimeSpan.Zero };
        Options.WorkFolder = WorkFolder;
        Registry = new ModelRegistry(Store, Time, NullLogger<ModelRegistry>.Instance);
        Registrar = new ModelRegistrar(Store, EngineFactory.Create(), Registry, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<ModelRegistrar>.Instance);
    }

    public FaultyBlobStore Faulty { get; }

    public IBlobStore Store { get; }

    public AdjustableTimeProvider Time { get; } = new();

    public RegistrationOptions Options { get; }

    public string WorkFolder { get; }

    public ModelRegistry Registry { get; }

    public ModelRegistrar Registrar { get; }

    /// <summary>A model name no other test uses, so tests can share one Azurite.</summary>
    public static string UniqueModel(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..10]}";

    public async Task PutAsync(string container, string name, byte[] content)
    {
        await Store.EnsureContainerAsync(container, CancellationToken.None);
        using var stream = new MemoryStream(content);
        await Store.PutAsync(container, name, stream, BlobCondition.None, null, CancellationToken.None);
    }

    public Task DropAsync(string model, int version, byte[] content) =>
        PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.ModelBlob(model, version), content);

    public Task DropFileAsync(string model, int version, string file, byte[] content) =>
        PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.VersionFolder(model, version) + file, content);

    public Task SetSettingsAsync(string model, string json) =>
        PutAsync(ModelStoreLayout.ModelsContainer, ModelStoreLayout.SettingsBlob(model), System.Text.Encoding.UTF8.GetBytes(json));

    public async Task<string?> StateETagAsync(string model) =>
        (await Store.GetPropertiesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.StateBlob(model), CancellationToken.None))?.ETag;

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
