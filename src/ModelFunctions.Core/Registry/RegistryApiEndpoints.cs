using Microsoft.AspNetCore.Routing;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// The route groups of the registry API, so the host can add filters (such as an admin key) to each.
/// </summary>
/// <param name="Read">Read-only endpoints: listing models, a model, a manifest.</param>
/// <param name="Admin">Endpoints that change state: promote, rollback, traffic, scan.</param>
public sealed record RegistryApiEndpoints(RouteGroupBuilder Read, RouteGroupBuilder Admin);
