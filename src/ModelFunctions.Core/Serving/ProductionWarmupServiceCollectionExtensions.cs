using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ModelFunctions.Core.Serving;

/// <summary>Registers the production warmup.</summary>
public static class ProductionWarmupServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ProductionWarmup"/> and a hosted service that runs it once at start, for hosts without a
    /// start-up scan of their own (the Functions app). Call after <c>AddModelFunctions</c>.
    /// </summary>
    public static IServiceCollection AddProductionWarmup(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ProductionWarmup>();
        services.AddHostedService<ProductionWarmupService>();
        return services;
    }
}
