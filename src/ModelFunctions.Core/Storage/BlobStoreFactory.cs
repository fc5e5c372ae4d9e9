using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Builds the blob store named by configuration key <c>ModelFunctions:Store</c> (environment <c>ModelFunctions__Store</c>):
/// a folder path (default <c>./modelstore</c>, relative paths resolve against the current directory), a storage
/// connection string (<c>UseDevelopmentStorage=true</c>, account name and key, or SAS), a blob service URI for
/// identity-based access, or the section <c>ModelFunctions:Store:blobServiceUri</c> / <c>:accountName</c> with optional
/// <c>:credential</c> (<c>managedidentity</c>) and <c>:clientId</c>, as Azure Functions identity connections spell them.
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
        "or SharedAccessSignature=...); a blob service URI (https://<account>.blob.core.windows.net) for Microsoft Entra access; " +
        "or the keys ModelFunctions:Store:blobServiceUri or ModelFunctions:Store:accountName with optional " +
        "ModelFunctions:Store:credential=managedidentity and ModelFunctions:Store:clientId.";

    /// <summary>Creates the store the configuration names.</summary>
    /// <exception cref="InvalidOperationException">The setting is not usable; the message names the key and what is accepted, without secrets.</exception>
    public static IBlobStore Create(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return Create(configuration, loggerFactory, new AzureBlobStoreOptions());
    }

    internal static IBlobStore Create(IConfiguration configuration, ILoggerFactory loggerFactory, AzureBlobStoreOptions azureOptions)
    {
        var section = configuration.GetSection(ConfigurationKey);
        var value = section.Value?.Trim();
        var children = section.GetChildren().ToList();
        if (children.Count > 0)
        {
            if (!string.IsNullOrEmpty(value))
            {
                throw Invalid(ConfigurationKey, "it has both a value and sub-keys; use one or the other");
            }

            return new AzureBlobStore(FromIdentitySection(section), azureOptions, loggerFactory.CreateLogger<AzureBlobStore>());
        }

        if (string.IsNullOrEmpty(value))
        {
            return new FileSystemBlobStore(DefaultFolder, loggerFactory.CreateLogger<FileSystemBlobStore>());
        }

        if (StorageConnectionString.LooksLikeConnectionString(value))
        {
            StorageConnectionString parsed;
            try
            {
                parsed = StorageConnectionString.Parse(value);
            }
            catch (FormatException ex)
            {
                throw Invalid(ConfigurationKey, "the connection string is not usable: " + ex.Message);
            }

            var endpoint = new AzureBlobEndpoint(parsed.BlobEndpoint, parsed.AccountName, parsed.AccountKey, parsed.SasToken, null);
            return new AzureBlobStore(endpoint, azureOptions, loggerFactory.CreateLogger<AzureBlobStore>());
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return new AzureBlobStore(IdentityEndpoint(ConfigurationKey, uri, null, null), azureOptions, loggerFactory.CreateLogger<AzureBlobStore>());
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

    private static AzureBlobEndpoint FromIdentitySection(IConfigurationSection section)
    {
        var serviceUri = section["blobServiceUri"];
        var accountName = section["accountName"];
        Uri uri;
        if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            if (!Uri.TryCreate(serviceUri.Trim(), UriKind.Absolute, out uri!) || uri.Scheme != "https")
            {
                throw Invalid(ConfigurationKey + ":blobServiceUri", "it must be an https URI such as https://<account>.blob.core.windows.net");
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

        return IdentityEndpoint(ConfigurationKey, uri, section["credential"], section["clientId"]);
    }

    private static AzureBlobEndpoint IdentityEndpoint(string key, Uri uri, string? credentialKind, string? clientId)
    {
        if (uri.Scheme != "https")
        {
            throw Invalid(key, "identity-based access needs an https blob service URI (use a connection string for http endpoints such as Azurite)");
        }

        if (!string.IsNullOrEmpty(uri.Query))
        {
            throw Invalid(key, "the blob service URI must not carry a query; put a SAS in a connection string (SharedAccessSignature=...)");
        }

        TokenCredential credential;
        if (string.IsNullOrWhiteSpace(credentialKind))
        {
            var options = new DefaultAzureCredentialOptions();
            if (!string.IsNullOrWhiteSpace(clientId))
            {
                options.ManagedIdentityClientId = clientId.Trim();
            }

            credential = new DefaultAzureCredential(options);
        }
        else if (string.Equals(credentialKind.Trim(), "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            credential = string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId.Trim()));
        }
        else
        {
            throw Invalid(ConfigurationKey + ":credential", "the only credential kind is 'managedidentity' (leave it unset for DefaultAzureCredential)");
        }

        var account = uri.Host.Split('.')[0];
        return new AzureBlobEndpoint(uri, account, null, null, credential);
    }

    private static InvalidOperationException Invalid(string key, string problem)
    {
        var environment = key.Replace(":", "__", StringComparison.Ordinal);
        return new InvalidOperationException($"Configuration {key} (environment variable {environment}) is not valid: {problem}. {Accepted}");
    }
}
