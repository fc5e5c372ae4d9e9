using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Http;

/// <summary>
/// Checks the <c>x-api-key</c> header against the configured key for a role, in constant time
/// (both sides are hashed first, so neither content nor length leaks through timing). Answers 401
/// with the protocol's error body.
/// </summary>
public sealed class ApiKeyFilter : IEndpointFilter
{
    private readonly ApiKeyRole _role;

    /// <summary>Creates a filter for a role.</summary>
    public ApiKeyFilter(ApiKeyRole role)
    {
        _role = role;
    }

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var keys = http.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue;
        if (IsAllowed(keys, http.Request.Headers[ApiKeyOptions.HeaderName].ToString()))
        {
            return await next(context).ConfigureAwait(false);
        }

        await ProtocolErrors.WriteAsync(http.Response, 401, $"A valid '{ApiKeyOptions.HeaderName}' header is required for this operation.", http.RequestAborted).ConfigureAwait(false);
        // Not null: for handlers returning Task, the framework would serialize a null result after the answer began.
        return Results.Empty;
    }

    private bool IsAllowed(ApiKeyOptions keys, string presented)
    {
        var admin = keys.Admin;
        var inference = keys.Inference;
        if (_role == ApiKeyRole.Admin)
        {
            return string.IsNullOrEmpty(admin) || Matches(presented, admin);
        }

        if (string.IsNullOrEmpty(inference) && string.IsNullOrEmpty(admin))
        {
            return true;
        }

        if (string.IsNullOrEmpty(inference))
        {
            // Only an admin key is configured: inference stays open, as the key guards administration alone.
            return true;
        }

        return Matches(presented, inference) || (!string.IsNullOrEmpty(admin) && Matches(presented, admin));
    }

    private static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
