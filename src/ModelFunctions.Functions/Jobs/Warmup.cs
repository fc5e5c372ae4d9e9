using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Serving;

namespace ModelFunctions.Functions.Jobs;

/// <summary>
/// Loads the production version of every model before a new instance takes traffic. The platform calls it only when
/// it scales out (not on restarts, and not on every plan), so the start-up warmup service does the same on every
/// start; a model already warm is not loaded twice.
/// </summary>
public sealed class Warmup(ProductionWarmup warmup, ILogger<Warmup> logger)
{
    [Function(nameof(Warmup))]
    public async Task Run([WarmupTrigger] object warmupContext, CancellationToken cancellationToken)
    {
        var warmed = await warmup.WarmAsync(cancellationToken);
        logger.LogInformation("Warmup trigger: {Count} production model(s) loaded", warmed.Count);
    }
}
