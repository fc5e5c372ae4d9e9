using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ModelFunctions.Core.Http;

/// <summary>
/// Attaches key checks to routes.
/// </summary>
public static class EndpointKeyExtensions
{
    /// <summary>Requires the key of <paramref name="role"/> on every route of the builder.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, ApiKeyRole role)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new ApiKeyFilter(role));
        return builder;
    }
}
