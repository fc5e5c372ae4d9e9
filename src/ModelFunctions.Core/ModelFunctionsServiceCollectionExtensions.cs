using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Http;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core;

/// <summary>
/// Registers everything a host (the self-hosted server or the Functions app) needs to serve models.
/// </summary>
public static class ModelFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store (from <c>ModelFunctions:Store</c>), the registry, ONNX Runtime, the serving engine, metrics,
    /// protocol limits, API keys and the monitoring, each bound from its <c>ModelFunctions:*</c> section and validated at start.
    /// </summary>
    public static IServiceCollection AddModelFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OnnxRuntimeOptions>().BindConfiguration(OnnxRuntimeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProtocolLimits>().BindConfiguration(ProtocolLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        // Microsoft.Extensions.Azure's component factory makes the credentials of identity-based store sections.
        services.AddAzureClientsCore();
        services.TryAddSingleton<IBlobStore>(sp => BlobStoreFactory.Create(configuration, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<AzureComponentFactory>()));
        services.AddModelRegistry(configuration);
        services.TryAddSingleton<OnnxRuntimeEngine>();
        services.TryAddSingleton<ServingMetrics>();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<ModelCache>();
        services.TryAddSingleton<ModelRouter>();
        services.TryAddSingleton<ModelMetadataService>();
        services.TryAddSingleton<InferenceService>();
        services.TryAddSingleton<ServerReadiness>();
        services.AddModelMonitoring();
        return services;
    }
}
