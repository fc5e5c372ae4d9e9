using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using ModelFunctions.Core.Http;

namespace ModelFunctions.Functions;

/// <summary>
/// The Functions app's counterpart of the server's <see cref="ErrorBodyFilter"/>: a failure that escapes an HTTP
/// function (a store outage, say) answers the protocol's <c>{"error": "..."}</c> body with the same status as on the
/// server, instead of the host's bare 500. Other triggers' failures go to the host unchanged, so it retries them.
/// </summary>
internal sealed class ErrorBodyMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            if (context.GetHttpContext() is not { } http || !await ErrorBodyFilter.TryWriteAsync(http, Unwrap(ex)))
            {
                throw;
            }
        }
    }

    // The worker may hand the function's own exception on inside a wrapper.
    private static Exception Unwrap(Exception ex) =>
        HttpErrors.Map(ex) is null && ex.InnerException is { } inner && ex is AggregateException or System.Reflection.TargetInvocationException
            ? Unwrap(inner)
            : ex;
}
