using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Core.Http;

/// <summary>
/// The prediction API: Open Inference Protocol (V2) metadata, readiness and inference, and the
/// TF-Serving / KServe V1 <c>:predict</c> row form. Every failure answers <c>{"error": "..."}</c>.
/// </summary>
public static class InferenceApi
{
    /// <summary>Maps the prediction routes and returns their group, so the host can require a key on it.</summary>
    public static RouteGroupBuilder MapInferenceApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Inference");
        group.MapGet("/v2", ServerMetadata);
        group.MapGet("/v2/models/{model}", ModelMetadata);
        group.MapGet("/v2/models/{model}/versions/{version}", ModelMetadata);
        group.MapGet("/v2/models/{model}/ready", ModelReady);
        group.MapGet("/v2/models/{model}/versions/{version}/ready", ModelReady);
        group.MapPost("/v2/models/{model}/infer", Infer);
        group.MapPost("/v2/models/{model}/versions/{version}/infer", Infer);
        group.MapGet("/v1/models/{model}", V1ModelStatus);
        group.MapGet("/v1/models/{model}/versions/{version}", V1ModelStatus);
        group.MapPost("/v1/models/{model}:predict", V1Predict);
        group.MapPost("/v1/models/{model}/versions/{version}:predict", V1Predict);
        return group;
    }

    /// <summary><c>GET /v2</c>: server name, version and protocol extensions.</summary>
    public static IResult ServerMetadata() =>
        TypedResults.Json(new ServerMetadataResponse(ServerInfo.Name, ServerInfo.Version, ServerInfo.Extensions), HttpJson.Options);

    /// <summary><c>GET /v2/models/{model}[/versions/{version}]</c>: inputs, outputs and servable versions.</summary>
    public static async Task ModelMetadata(HttpContext context, string model, string? version, ModelMetadataService metadata)
    {
        await HandleAsync(context, async ct =>
        {
            var result = await metadata.GetAsync(model, ParseVersion(version), ct).ConfigureAwait(false);
            await WriteJsonAsync(context, result, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary><c>GET /v2/models/{model}[/versions/{version}]/ready</c>: 200 when the version is loaded and warm, else 400.</summary>
    public static async Task ModelReady(HttpContext context, string model, string? version, ModelMetadataService metadata)
    {
        await HandleAsync(context, async ct =>
        {
            var ready = await metadata.IsReadyAsync(model, ParseVersion(version), ct).ConfigureAwait(false);
            context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        }).ConfigureAwait(false);
    }

    /// <summary><c>POST /v2/models/{model}[/versions/{version}]/infer</c>.</summary>
    public static async Task Infer(HttpContext context, string model, string? version, InferenceService inference, IOptions<ProtocolLimits> limits)
    {
        // The hot path: written out rather than through HandleAsync, so a request allocates no closure.
        var ct = context.RequestAborted;
        try
        {
            var parsedVersion = ParseVersion(version);
            // An unknown model or version answers 404 before the body is read; the choice made here is kept
            // unless a canary shares the traffic and the request's id (known only from the body) decides.
            var route = await inference.RouteAsync(model, parsedVersion, null, ct).ConfigureAwait(false);
            var request = await V2Http.ReadRequestAsync(context.Request, limits.Value, ct).ConfigureAwait(false);
            if (route.DependsOnRequestId && request.Id is not null)
            {
                route = await inference.RouteAsync(model, parsedVersion, request.Id, ct).ConfigureAwait(false);
            }

            var response = await inference.InferAsync(route, request, ct).ConfigureAwait(false);
            await V2Http.WriteResponseAsync(context.Response, response, request, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && HttpErrors.Map(ex) is { } known)
        {
            await ProtocolErrors.WriteAsync(context.Response, known.StatusCode, known.Message, ct).ConfigureAwait(false);
        }
    }

    /// <summary><c>GET /v1/models/{model}[/versions/{version}]</c>: TF-Serving style version states.</summary>
    public static async Task V1ModelStatus(HttpContext context, string model, string? version, ModelMetadataService metadata)
    {
        await HandleAsync(context, async ct =>
        {
            var result = await metadata.GetV1StatusAsync(model, ParseVersion(version), ct).ConfigureAwait(false);
            await WriteJsonAsync(context, result, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary><c>POST /v1/models/{model}[/versions/{version}]:predict</c> with <c>instances</c> or <c>inputs</c>.</summary>
    public static async Task V1Predict(HttpContext context, string model, string? version, InferenceService inference, ModelMetadataService metadata, IOptions<ProtocolLimits> limits)
    {
        await HandleAsync(context, async ct =>
        {
            var parsedVersion = ParseVersion(version);
            using var body = await V2Http.ReadBodyAsync(context.Request, limits.Value, ct).ConfigureAwait(false);
            var (chosen, signature) = await metadata.ResolveSignatureAsync(model, parsedVersion, ct).ConfigureAwait(false);
            var predict = V1PredictCodec.ReadRequest(body.Span, signature, limits.Value);
            var request = new InferenceRequest(null, null, predict.Inputs, null);
            var response = await inference.InferAsync(model, chosen, request, ct).ConfigureAwait(false);
            var output = new ArrayBufferWriter<byte>();
            V1PredictCodec.WriteResponse(output, predict, response.Outputs);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(output.WrittenMemory, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static int? ParseVersion(string? version)
    {
        if (version is null)
        {
            return null;
        }

        if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
        {
            return parsed;
        }

        throw new ProtocolException(404, $"Version '{version}' does not exist: versions are positive integers.");
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, T value, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, value, HttpJson.Options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task HandleAsync(HttpContext context, Func<CancellationToken, Task> handler)
    {
        // Known failures are answered here, so hosts that call these handlers directly (the Functions app) answer
        // them the same way; unexpected ones go on to the host (ErrorBodyFilter in the server).
        var ct = context.RequestAborted;
        try
        {
            await handler(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && HttpErrors.Map(ex) is { } known)
        {
            await ProtocolErrors.WriteAsync(context.Response, known.StatusCode, known.Message, ct).ConfigureAwait(false);
        }
    }
}
