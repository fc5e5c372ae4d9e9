using System.Globalization;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Where models, settings and the registry's own documents live, the same in a local folder and in Blob Storage.
/// </summary>
public static class ModelStoreLayout
{
    /// <summary>The container users drop models into.</summary>
    public const string ModelsContainer = "models";

    /// <summary>The container the registry writes its manifests and state into.</summary>
    public const string RegistryContainer = "registry";

    /// <summary>The container the monitoring writes into.</summary>
    public const string MonitoringContainer = "monitoring";

    /// <summary>Every container the service uses, in the order a fresh store creates them.</summary>
    public static IReadOnlyList<string> Containers { get; } = [ModelsContainer, RegistryContainer, MonitoringContainer];

    /// <summary>Creates whichever of <see cref="Containers"/> the store lacks.</summary>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public static async Task EnsureContainersAsync(Storage.IBlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var container in Containers)
        {
            await store.EnsureContainerAsync(container, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The file name of a dropped model inside its version folder.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The file name of the optional reference data inside a version folder.</summary>
    public const string ReferenceFileName = "reference.csv";

    /// <summary><c>{model}/{version}/model.onnx</c> in <see cref="ModelsContainer"/>.</summary>
    public static string ModelBlob(string model, int version) => $"{VersionFolder(model, version)}{ModelFileName}";

    /// <summary><c>{model}/{version}/reference.csv</c> in <see cref="ModelsContainer"/>.</summary>
    public static string ReferenceBlob(string model, int version) => $"{VersionFolder(model, version)}{ReferenceFileName}";

    /// <summary><c>{model}/{version}/</c>: the prefix of every blob of a version in <see cref="ModelsContainer"/>.</summary>
    public static string VersionFolder(string model, int version) =>
        $"{model}/{version.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary><c>{model}/model.json</c> in <see cref="ModelsContainer"/>: the per-model settings.</summary>
    public static string SettingsBlob(string model) => $"{model}/model.json";

    /// <summary><c>{model}/versions/</c>: the prefix of a model's manifests and baselines in <see cref="RegistryContainer"/>.</summary>
    public static string VersionsPrefix(string model) => $"{model}/versions/";

    /// <summary><c>{model}/versions/{version}.json</c> in <see cref="RegistryContainer"/>.</summary>
    public static string ManifestBlob(string model, int version) =>
        $"{VersionsPrefix(model)}{version.ToString(CultureInfo.InvariantCulture)}.json";

    /// <summary><c>{model}/versions/{version}.baseline.json</c> in <see cref="RegistryContainer"/>.</summary>
    public static string BaselineBlob(string model, int version) =>
        $"{VersionsPrefix(model)}{version.ToString(CultureInfo.InvariantCulture)}.baseline.json";

    /// <summary><c>{model}/state.json</c> in <see cref="RegistryContainer"/>.</summary>
    public static string StateBlob(string model) => $"{model}/state.json";

    /// <summary>
    /// Parses a blob name of <see cref="ModelsContainer"/> as <c>{model}/{version}/model.onnx</c>.
    /// On failure, <paramref name="model"/> and <paramref name="version"/> keep whatever parts were valid
    /// (empty and 0 otherwise) and <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryParseModelBlob(string blobName, out string model, out int version, out string? error)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        model = string.Empty;
        version = 0;
        var parts = blobName.Split('/');
        if (parts.Length != 3)
        {
            error = $"'{blobName}' is not of the form {{model}}/{{version}}/{ModelFileName}.";
            return false;
        }

        var nameError = ModelNames.Validate(parts[0]);
        if (nameError is null)
        {
            model = parts[0];
        }

        var versionError = ModelNames.TryParseVersion(parts[1], out var parsed);
        if (versionError is null)
        {
            version = parsed;
        }

        if (nameError is not null)
        {
            error = $"'{blobName}': {nameError}";
            return false;
        }

        if (versionError is not null)
        {
            error = $"'{blobName}': {versionError}";
            return false;
        }

        if (!string.Equals(parts[2], ModelFileName, StringComparison.Ordinal))
        {
            error = $"'{blobName}': the model file must be named '{ModelFileName}', not '{parts[2]}'.";
            return false;
        }

        error = null;
        return true;
    }
}
