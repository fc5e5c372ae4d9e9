using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Loads and warms the production version of every registered model, then marks the server ready, so that a
/// fresh instance does not make its first requests wait for model loads. A model that cannot be loaded is logged
/// and skipped: it must not keep the others, or the instance, from serving.
/// </summary>
public sealed class ProductionWarmup
{
    private readonly ModelRegistry _registry;
    private readonly ModelRouter _router;
    private readonly ServerReadiness _readiness;
    private readonly ILogger<ProductionWarmup> _logger;

    /// <summary>Creates the warmup.</summary>
    public ProductionWarmup(ModelRegistry registry, ModelRouter router, ServerReadiness readiness, ILogger<ProductionWarmup> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(logger);
        _registry = registry;
        _router = router;
        _readiness = readiness;
        _logger = logger;
    }

    /// <summary>
    /// Warms each model's production version through the router (so the model's own batching settings apply) and
    /// marks the server ready once every model has been tried.
    /// </summary>
    /// <returns>The models whose production version is now loaded, by name.</returns>
    public async Task<IReadOnlyList<string>> WarmAsync(CancellationToken cancellationToken)
    {
        var warmed = new List<string>();
        var models = await _registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var model in models)
        {
            if (model.Production is not { } production)
            {
                continue;
            }

            try
            {
                await _router.RouteAsync(model.Model, null, null, cancellationToken).ConfigureAwait(false);
                warmed.Add(model.Model);
                _logger.LogInformation("Warmed {Model} v{Version}", model.Model, production);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Could not warm {Model} v{Version}; it loads on its first request instead", model.Model, production);
            }
        }

        _readiness.MarkReady();
        return warmed;
    }
}
