using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Http;

/// <summary>
/// Turns a failure that escapes a handler into the protocol's <c>{"error": "..."}</c> body with the status
/// <see cref="HttpErrors"/> gives it; an unexpected one is logged with the request id and answers 500 naming that id.
/// </summary>
public sealed class ErrorBodyFilter : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!http.Response.HasStarted && !(ex is OperationCanceledException && http.RequestAborted.IsCancellationRequested))
        {
            if (HttpErrors.Map(ex) is { } known)
            {
                await ProtocolErrors.WriteAsync(http.Response, known.StatusCode, known.Message, http.RequestAborted).ConfigureAwait(false);
                return Results.Empty;
            }

            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<ErrorBodyFilter>()
                .LogError(ex, "Request {RequestId} {Method} {Path} failed", http.TraceIdentifier, http.Request.Method, http.Request.Path);
            await ProtocolErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError, $"Internal error; request id {http.TraceIdentifier}.", http.RequestAborted).ConfigureAwait(false);
            return Results.Empty;
        }
    }
}
