using Microsoft.AspNetCore.Http;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Http;

/// <summary>An endpoint result that answers <c>{"error": "..."}</c> with a status code, as the protocol does.</summary>
internal sealed class ProtocolErrorResult(int statusCode, string message) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return ProtocolErrors.WriteAsync(httpContext.Response, statusCode, message, httpContext.RequestAborted);
    }
}
