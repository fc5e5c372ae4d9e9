using ModelFunctions.Core.Http;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Answers the metadata and readiness questions about a model from the registry and the loaded sessions.
/// </summary>
public sealed class ModelMetadataService
{
    private readonly ModelRegistry _registry;
    private readonly ModelRouter _router;
    private readonly ModelCache _cache;

    /// <summary>Creates the service.</summary>
    public ModelMetadataService(ModelRegistry registry, ModelRouter router, ModelCache cache)
    {
        _registry = registry;
        _router = router;
        _cache = cache;
    }

    /// <summary>The version a request would reach and its signature (the version is loaded if needed).</summary>
    /// <exception cref="ServingException">Unknown model or version, or nothing servable.</exception>
    public async Task<(int Version, ModelSignature Signature)> ResolveSignatureAsync(string model, int? version, CancellationToken cancellationToken)
    {
        var route = await _router.RouteAsync(model, version, null, cancellationToken).ConfigureAwait(false);
        using var lease = await _cache.AcquireAsync(model, route.Version, route.Batching, cancellationToken).ConfigureAwait(false);
        return (route.Version, lease.Model.Signature);
    }

    /// <summary>V2 model metadata.</summary>
    public async Task<ModelMetadataResponse> GetAsync(string model, int? version, CancellationToken cancellationToken)
    {
        var (_, signature) = await ResolveSignatureAsync(model, version, cancellationToken).ConfigureAwait(false);
        var versions = await ReadyVersionsAsync(model, cancellationToken).ConfigureAwait(false);
        return new ModelMetadataResponse(
            model,
            versions,
            ServerInfo.Platform,
            signature.Inputs.Select(ToMetadata).ToArray(),
            signature.Outputs.Where(o => o.IsSupported).Select(ToMetadata).ToArray());
    }

    /// <summary>Whether the version a request would reach is loaded and warm; starts loading it if not.</summary>
    public async Task<bool> IsReadyAsync(string model, int? version, CancellationToken cancellationToken)
    {
        RouteDecision route;
        try
        {
            route = await _router.RouteAsync(model, version, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ServingException ex) when (ex.StatusCode == 503)
        {
            return false;
        }

        if (_cache.IsLoaded(model, route.Version))
        {
            return true;
        }

        _ = _cache.WarmAsync(model, route.Version, route.Batching, CancellationToken.None);
        return false;
    }

    /// <summary>TF-Serving style version states.</summary>
    public async Task<V1ModelStatusResponse> GetV1StatusAsync(string model, int? version, CancellationToken cancellationToken)
    {
        var manifests = await VersionsAsync(model, cancellationToken).ConfigureAwait(false);
        var selected = version is { } v ? manifests.Where(m => m.Version == v).ToArray() : manifests.ToArray();
        if (selected.Length == 0)
        {
            throw new ServingException(404, $"Model '{model}' has no version {version}.");
        }

        return new V1ModelStatusResponse(selected
            .OrderByDescending(m => m.Version)
            .Select(m => m.Status == VersionStatus.Ready
                ? new V1VersionStatus(m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), "AVAILABLE", new V1Status("OK", string.Empty))
                : new V1VersionStatus(m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), "END", new V1Status("INVALID_ARGUMENT", m.Reason ?? "rejected")))
            .ToArray());
    }

    private async Task<IReadOnlyList<string>> ReadyVersionsAsync(string model, CancellationToken cancellationToken)
    {
        var manifests = await VersionsAsync(model, cancellationToken).ConfigureAwait(false);
        return manifests
            .Where(m => m.Status == VersionStatus.Ready)
            .OrderBy(m => m.Version)
            .Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }

    private async Task<IReadOnlyList<VersionSummary>> VersionsAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await _registry.GetModelAsync(model, cancellationToken).ConfigureAwait(false);
            return summary.Versions;
        }
        catch (RegistryException ex) when (ex.Kind is RegistryErrorKind.NotFound or RegistryErrorKind.Invalid)
        {
            throw new ServingException(404, $"Unknown model '{model}'.");
        }
    }

    private static TensorMetadata ToMetadata(TensorSpec spec) =>
        new(spec.Name, spec.DataType?.ToProtocolName() ?? "UNSUPPORTED", spec.Shape);
}
