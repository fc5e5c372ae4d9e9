using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Builds the blob store named by configuration key <c>ModelFunctions:Store</c> (environment <c>ModelFunctions__Store</c>):
/// a folder path (default <c>./modelstore</c>, relative paths resolve against the current directory), a storage
/// connection string (<c>UseDevelopmentStorage=true</c>, account name and key, or SAS), a blob service URI (with a SAS
/// in its query, or without one for Microsoft Entra access), or a section in the Azure Functions identity-connection
/// form: <c>ModelFunctions:Store:blobServiceUri</c> (or <c>:serviceUri</c>, or <c>:accountName</c>) with
/// <c>:credential</c> = <c>managedidentity</c> and <c>:clientId</c>. The credential of a section is made by
/// Microsoft.Extensions.Azure, the library the Functions host uses for its own connections, so a section means the
/// same in both hosts.
/// </summary>
public static class BlobStoreFactory
{
    /// <summary>The configuration key that picks the store.</summary>
    public const string ConfigurationKey = "ModelFunctions:Store";

    /// <summary>The folder used when the key is not set.</summary>
    public const string DefaultFolder = "./modelstore";

    private const string Accepted =
        "Accepted: a folder path (default ./modelstore); a storage connection string (UseDevelopmentStorage=true, " +
        "or DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=..., optionally with BlobEndpoint=... " +
        "or SharedAccessSignature=...); a blob service URI (https://<account>.blob.core.windows.net, with ?<SAS> or without for " +
        "Microsoft Entra access); or the keys ModelFunctions:Store:blobServiceUri or ModelFunctions:Store:accountName with optional " +
        "ModelFunctions:Store:credential=managedidentity and ModelFunctions:Store:clientId.";

    // Keys that make a value a connection string rather than a path (the SDK parses it; this only tells them apart).
    private static readonly string[] ConnectionStringKeys =
        ["UseDevelopmentStorage", "DefaultEndpointsProtocol", "AccountName", "AccountKey", "BlobEndpoint", "SharedAccessSignature", "EndpointSuffix"];

    // Credential kinds Microsoft.Extensions.Azure reads from a "credential" key; anything else would silently become DefaultAzureCredential.
    private static readonly string[] CredentialKinds = ["managedidentity"];

    /// <summary>Creates the store the configuration names.</summary>
    /// <param name="configuration">Where <c>ModelFunctions:Store</c> is read.</param>
    /// <param name="loggerFactory">For the store's logger.</param>
    /// <param name="components">Makes credentials from configuration sections; one is created when null.</param>
    /// <exception cref="InvalidOperationException">The setting is not usable; the message names the key and what is accepted, without secrets.</exception>
    public static IBlobStore Create(IConfiguration configuration, ILoggerFactory loggerFactory, AzureComponentFactory? components = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var options = new AzureBlobStoreOptions();
        try
        {
            configuration.GetSection(AzureBlobStoreOptions.SectionName).Bind(options);
            options.Validate();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Configuration {AzureBlobStoreOptions.SectionName} (environment variables ModelFunctions__StoreClient__*) is not valid: {ex.Message}", ex);
        }

        return Create(configuration, loggerFactory, components, options);
    }

    internal static IBlobStore Create(IConfiguration configuration, ILoggerFactory loggerFactory, AzureComponentFactory? components, AzureBlobStoreOptions azureOptions)
    {
        var section = configuration.GetSection(ConfigurationKey);
        var value = section.Value?.Trim();
        if (section.GetChildren().Any())
        {
            if (!string.IsNullOrEmpty(value))
            {
                throw Invalid(ConfigurationKey, "it has both a value and sub-keys; use one or the other");
            }

            var (uri, credential) = FromIdentitySection(section, components);
            return Azure(new BlobServiceClient(uri, credential, azureOptions.CreateClientOptions()), "Microsoft Entra ID", azureOptions, loggerFactory);
        }

        if (string.IsNullOrEmpty(value))
        {
            return new FileSystemBlobStore(DefaultFolder, loggerFactory.CreateLogger<FileSystemBlobStore>());
        }

        if (LooksLikeConnectionString(value))
        {
            BlobServiceClient client;
            try
            {
                client = new BlobServiceClient(value, azureOptions.CreateClientOptions());
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                // The SDK's messages never quote the value; the key names it had help find the mistake and hold no secret.
                throw Invalid(ConfigurationKey, $"the connection string (keys: {string.Join(", ", KeyNames(value))}) is not usable: {ex.Message}");
            }

            return Azure(client, AuthKind(client), azureOptions, loggerFactory);
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var serviceUri) && serviceUri.Scheme is "http" or "https")
        {
            if (serviceUri.Scheme != "https")
            {
                throw Invalid(ConfigurationKey, "a blob service URI must be https (use a connection string for http endpoints such as Azurite)");
            }

            if (!string.IsNullOrEmpty(serviceUri.Query))
            {
                if (!serviceUri.Query.Contains("sig=", StringComparison.Ordinal))
                {
                    throw Invalid(ConfigurationKey, "the blob service URI has a query that is not a SAS (it has no signature)");
                }

                return Azure(new BlobServiceClient(serviceUri, azureOptions.CreateClientOptions()), "SAS", azureOptions, loggerFactory);
            }

            var credential = Components(components).CreateTokenCredential(new ConfigurationBuilder().Build());
            return Azure(new BlobServiceClient(serviceUri, credential, azureOptions.CreateClientOptions()), "Microsoft Entra ID", azureOptions, loggerFactory);
        }

        if (value.Contains("://", StringComparison.Ordinal) && !value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(ConfigurationKey, "it looks like a URI but is not an http or https one");
        }

        var folder = value.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(value).LocalPath : value;
        if (folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw Invalid(ConfigurationKey, "the folder path contains characters paths cannot hold");
        }

        return new FileSystemBlobStore(folder, loggerFactory.CreateLogger<FileSystemBlobStore>());
    }

    /// <summary>Whether a setting is meant as a storage connection string (a list of known <c>key=value</c> pairs).</summary>
    internal static bool LooksLikeConnectionString(string value) =>
        value.Contains('=', StringComparison.Ordinal)
        && value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(part => ConnectionStringKeys.Contains(part.Split('=')[0].Trim(), StringComparer.OrdinalIgnoreCase));

    private static IEnumerable<string> KeyNames(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=')[0].Trim())
            .Where(name => name.Length > 0 && name.All(char.IsAsciiLetterOrDigit));

    private static AzureBlobStore Azure(BlobServiceClient client, string authKind, AzureBlobStoreOptions options, ILoggerFactory loggerFactory) =>
        new(client, authKind, options, loggerFactory.CreateLogger<AzureBlobStore>());

    private static string AuthKind(BlobServiceClient client) =>
        client.CanGenerateAccountSasUri ? "shared key"
        : client.Uri.Query.Contains("sig=", StringComparison.Ordinal) ? "SAS"
        : "anonymous";

    private static (Uri ServiceUri, TokenCredential Credential) FromIdentitySection(IConfigurationSection section, AzureComponentFactory? components)
    {
        var serviceUri = section["blobServiceUri"] ?? section["serviceUri"];
        var accountName = section["accountName"];
        Uri uri;
        if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            var key = ConfigurationKey + (section["blobServiceUri"] is null ? ":serviceUri" : ":blobServiceUri");
            if (!Uri.TryCreate(serviceUri.Trim(), UriKind.Absolute, out uri!) || uri.Scheme != "https")
            {
                throw Invalid(key, "it must be an https URI such as https://<account>.blob.core.windows.net");
            }

            if (!string.IsNullOrEmpty(uri.Query))
            {
                throw Invalid(key, "an identity connection's service URI carries no query (put a SAS URI in ModelFunctions:Store itself)");
            }
        }
        else if (!string.IsNullOrWhiteSpace(accountName))
        {
            var name = accountName.Trim();
            if (name.Length is < 3 or > 24 || !name.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)))
            {
                throw Invalid(ConfigurationKey + ":accountName", "a storage account name is 3 to 24 lower-case letters and digits");
            }

            uri = new Uri($"https://{name}.blob.core.windows.net");
        }
        else
        {
            var keys = string.Join(", ", section.GetChildren().Select(c => c.Key));
            throw Invalid(ConfigurationKey, $"the section has keys ({keys}) but neither blobServiceUri nor accountName");
        }

        var kind = section["credential"];
        if (!string.IsNullOrWhiteSpace(kind) && !CredentialKinds.Contains(kind.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(ConfigurationKey + ":credential", "the only credential kind is 'managedidentity' (leave it unset for DefaultAzureCredential, or set tenantId, clientId and clientSecret)");
        }

        return (uri, Components(components).CreateTokenCredential(section));
    }

    private static AzureComponentFactory Components(AzureComponentFactory? components)
    {
        if (components is not null)
        {
            return components;
        }

        var services = new ServiceCollection().AddLogging();
        services.AddAzureClientsCore();
        return services.BuildServiceProvider().GetRequiredService<AzureComponentFactory>();
    }

    private static InvalidOperationException Invalid(string key, string problem)
    {
        var environment = key.Replace(":", "__", StringComparison.Ordinal);
        return new InvalidOperationException($"Configuration {key} (environment variable {environment}) is not valid: {problem}. {Accepted}");
    }
}
