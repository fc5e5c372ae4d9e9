using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Registry;

/// <summary>Registers the model registry's services.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ModelRegistry"/>, <see cref="ModelRegistrar"/>, <see cref="RegistrationOptions"/> (bound from
    /// <c>ModelFunctions:Registration</c>, validated at start), the ONNX Runtime engine and
    /// <see cref="TimeProvider.System"/> unless already registered. The host registers the
    /// <see cref="Storage.IBlobStore"/> (from <see cref="Storage.BlobStoreFactory"/>).
    /// </summary>
    public static IServiceCollection AddModelRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RegistrationOptions>()
            .Bind(configuration.GetSection(RegistrationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<OnnxRuntimeOptions>()
            .Bind(configuration.GetSection(OnnxRuntimeOptions.SectionName))
            .ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OnnxRuntimeEngine>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<ModelRegistrar>();
        return services;
    }

    /// <summary>Adds the <see cref="RegistrationWatcher"/> that registers new drops in the background (self-hosted server).</summary>
    public static IServiceCollection AddRegistrationWatcher(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<RegistrationWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistrationWatcher>());
        return services;
    }
}
