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
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (CanAnswer(context.HttpContext, ex))
        {
            await WriteAsync(context.HttpContext, ex).ConfigureAwait(false);
            return Results.Empty;
        }
    }

    /// <summary>
    /// Answers <paramref name="exception"/> with the protocol's error body, as the server's routes do, when the response
    /// has not started and the caller has not gone; false when it cannot (the caller rethrows).
    /// </summary>
    public static async Task<bool> TryWriteAsync(HttpContext http, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(exception);
        if (!CanAnswer(http, exception))
        {
            return false;
        }

        await WriteAsync(http, exception).ConfigureAwait(false);
        return true;
    }

    private static bool CanAnswer(HttpContext http, Exception ex) =>
        !http.Response.HasStarted && !(ex is OperationCanceledException && http.RequestAborted.IsCancellationRequested);

    private static async Task WriteAsync(HttpContext http, Exception ex)
    {
        if (HttpErrors.Map(ex) is { } known)
        {
            await ProtocolErrors.WriteAsync(http.Response, known.StatusCode, known.Message, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<ErrorBodyFilter>()
            .LogError(ex, "Request {RequestId} {Method} {Path} failed", http.TraceIdentifier, http.Request.Method, http.Request.Path);
        await ProtocolErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError, $"Internal error; request id {http.TraceIdentifier}.", http.RequestAborted).ConfigureAwait(false);
    }
}
