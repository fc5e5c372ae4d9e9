using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Runs <see cref="ProductionWarmup"/> once in the background when the host starts, without delaying the start.
/// </summary>
internal sealed class ProductionWarmupService : BackgroundService
{
    private readonly ProductionWarmup _warmup;
    private readonly ILogger<ProductionWarmupService> _logger;

    public ProductionWarmupService(ProductionWarmup warmup, ILogger<ProductionWarmupService> logger)
    {
        _warmup = warmup;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var warmed = await _warmup.WarmAsync(stoppingToken).ConfigureAwait(false);
            _logger.LogInformation("Start-up warmup loaded {Count} production model(s)", warmed.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stopped before the warmup finished.
        }
        catch (Exception ex)
        {
            // The store was unreachable: models still load on their first request.
            _logger.LogError(ex, "Start-up warmup failed");
        }
    }
}
