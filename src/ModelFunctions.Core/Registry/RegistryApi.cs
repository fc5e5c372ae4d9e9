using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// The registry's HTTP API: list and inspect models and versions, promote, roll back, split traffic, scan.
/// Bodies are JSON (<see cref="RegistryJson.Options"/>); errors are <c>{"error": "..."}</c> with 400, 404 or 409.
/// </summary>
public static class RegistryApi
{
    private const string DefaultReason = "api";

    /// <summary>Maps the registry endpoints under <c>/api</c> and returns their groups (read and admin).</summary>
    public static RegistryApiEndpoints MapRegistryApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var read = endpoints.MapGroup("/api").WithTags("Registry");
        read.MapGet("/models", ListModels);
        read.MapGet("/models/{model}", GetModel);
        read.MapGet("/models/{model}/versions/{version}", GetVersion);

        var admin = endpoints.MapGroup("/api").WithTags("Registry admin");
        admin.MapPost("/models/{model}/promote", Promote);
        admin.MapPost("/models/{model}/rollback", Rollback);
        admin.MapPut("/models/{model}/traffic", SetTraffic);
        admin.MapPost("/registry/scan", Scan);
        return new RegistryApiEndpoints(read, admin);
    }

    /// <summary><c>GET /api/models</c>.</summary>
    public static async Task<JsonHttpResult<IReadOnlyList<ModelSummary>>> ListModels(ModelRegistry registry, CancellationToken cancellationToken)
    {
        var models = await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(models, RegistryJson.Options);
    }

    /// <summary><c>GET /api/models/{model}</c>.</summary>
    public static async Task<Results<JsonHttpResult<ModelSummary>, JsonHttpResult<ErrorResponse>>> GetModel(
        string model,
        ModelRegistry registry,
        CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Json(await registry.GetModelAsync(model, cancellationToken).ConfigureAwait(false), RegistryJson.Options);
        }
        catch (RegistryException ex)
        {
            return Error(ex);
        }
    }

    /// <summary><c>GET /api/models/{model}/versions/{version}</c>: the manifest, rejection reasons included.</summary>
    public static async Task<Results<JsonHttpResult<VersionManifest>, JsonHttpResult<ErrorResponse>>> GetVersion(
        string model,
        string version,
        ModelRegistry registry,
        CancellationToken cancellationToken)
    {
        if (ModelNames.TryParseVersion(version, out var number) is { } versionError)
        {
            return Error(StatusCodes.Status400BadRequest, $"version: {versionError}");
        }

        try
        {
            var manifest = await registry.GetManifestAsync(model, number, cancellationToken).ConfigureAwait(false);
            return manifest is null
                ? Error(StatusCodes.Status404NotFound, $"Model '{model}' has no registered version {number.ToString(CultureInfo.InvariantCulture)}.")
                : TypedResults.Json(manifest, RegistryJson.Options);
        }
        catch (RegistryException ex)
        {
            return Error(ex);
        }
    }

    /// <summary><c>POST /api/models/{model}/promote</c> with <c>{"version": n}</c>.</summary>
    public static async Task<Results<JsonHttpResult<ModelState>, JsonHttpResult<ErrorResponse>>> Promote(
        string model,
        HttpRequest request,
        ModelRegistry registry,
        CancellationToken cancellationToken)
    {
        try
        {
            var body = await ReadBodyAsync<PromoteRequest>(request, required: true, cancellationToken).ConfigureAwait(false);
            if (body?.Version is not int version)
            {
                return Error(StatusCodes.Status400BadRequest, "version is required: {\"version\": n}.");
            }

            var state = await registry.PromoteAsync(model, version, body.Reason ?? DefaultReason, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(state, RegistryJson.Options);
        }
        catch (RegistryException ex)
        {
            return Error(ex);
        }
    }

    /// <summary><c>POST /api/models/{model}/rollback</c>: back to the previous production version.</summary>
    public static async Task<Results<JsonHttpResult<ModelState>, JsonHttpResult<ErrorResponse>>> Rollback(
        string model,
        HttpRequest request,
        ModelRegistry registry,
        CancellationToken cancellationToken)
    {
        try
        {
            var body = await ReadBodyAsync<RollbackRequest>(request, required: false, cancellationToken).ConfigureAwait(false);
            var state = await registry.RollbackAsync(model, body?.Reason ?? DefaultReason, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(state, RegistryJson.Options);
        }
        catch (RegistryException ex)
        {
            return Error(ex);
        }
    }

    /// <summary><c>PUT /api/models/{model}/traffic</c> with <c>{"canaryVersion": n, "canaryPercent": p}</c>.</summary>
    public static async Task<Results<JsonHttpResult<ModelState>, JsonHttpResult<ErrorResponse>>> SetTraffic(
        string model,
        HttpRequest request,
        ModelRegistry registry,
        CancellationToken cancellationToken)
    {
        try
        {
            var body = await ReadBodyAsync<TrafficRequest>(request, required: true, cancellationToken).ConfigureAwait(false);
            if (body is null || (body.CanaryVersion is not null && body.CanaryPercent is null))
            {
                return Error(StatusCodes.Status400BadRequest, "canaryPercent is required: {\"canaryVersion\": n, \"canaryPercent\": p}.");
            }

            var state = await registry.SetTrafficAsync(model, body.CanaryVersion, body.CanaryPercent ?? 0, body.Reason ?? DefaultReason, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(state, RegistryJson.Options);
        }
        catch (RegistryException ex)
        {
            return Error(ex);
        }
    }

    /// <summary><c>POST /api/registry/scan</c>: registers every dropped model not yet registered.</summary>
    public static async Task<JsonHttpResult<ScanResult>> Scan(ModelRegistrar registrar, CancellationToken cancellationToken)
    {
        var result = await registrar.ScanAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(result, RegistryJson.Options);
    }

    private static async Task<T?> ReadBodyAsync<T>(HttpRequest request, bool required, CancellationToken cancellationToken)
        where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return required
                ? throw new RegistryException(RegistryErrorKind.Invalid, "The request needs a JSON body.")
                : null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), RegistryJson.Options);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            throw new RegistryException(RegistryErrorKind.Invalid, $"{field}: the JSON body is malformed or of the wrong type.", ex);
        }
    }

    private static JsonHttpResult<ErrorResponse> Error(RegistryException ex) => Error(
        ex.Kind switch
        {
            RegistryErrorKind.NotFound => StatusCodes.Status404NotFound,
            RegistryErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        ex.Message);

    private static JsonHttpResult<ErrorResponse> Error(int status, string message) =>
        TypedResults.Json(new ErrorResponse(message), RegistryJson.Options, statusCode: status);
}
