namespace ModelFunctions.Core.Storage;

/// <summary>
/// An Azure Storage connection string, reduced to what the blob store needs: the blob endpoint and a shared key
/// or a SAS token. Parse errors name the offending key, never a value (values may be secrets).
/// </summary>
internal sealed class StorageConnectionString
{
    /// <summary>Azurite's documented development account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's documented (public, well-known) development account key.</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Azurite's default blob endpoint.</summary>
    public const string DevelopmentBlobEndpoint = "http://127.0.0.1:10000/devstoreaccount1";

    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "UseDevelopmentStorage", "DefaultEndpointsProtocol", "AccountName", "AccountKey", "EndpointSuffix",
        "BlobEndpoint", "SharedAccessSignature", "QueueEndpoint", "TableEndpoint", "FileEndpoint",
        "BlobSecondaryEndpoint", "QueueSecondaryEndpoint", "TableSecondaryEndpoint", "FileSecondaryEndpoint",
    };

    private StorageConnectionString(Uri blobEndpoint, string? accountName, byte[]? accountKey, string? sasToken)
    {
        BlobEndpoint = blobEndpoint;
        AccountName = accountName;
        AccountKey = accountKey;
        SasToken = sasToken;
    }

    /// <summary>The blob service endpoint.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>The account name, when given.</summary>
    public string? AccountName { get; }

    /// <summary>The account key, when given.</summary>
    public byte[]? AccountKey { get; }

    /// <summary>The SAS token without its leading '?', when given.</summary>
    public string? SasToken { get; }

    /// <summary>Whether the text looks like a connection string rather than a path or URI.</summary>
    public static bool LooksLikeConnectionString(string value) =>
        value.Split(';').Any(part =>
        {
            var equals = part.IndexOf('=');
            return equals > 0 && KnownKeys.Contains(part[..equals].Trim());
        });

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">The string is not usable; the message names the problem but no value.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException("Connection string parts must be Key=Value, separated by ';'.");
            }

            var key = part[..equals].Trim();
            if (!KnownKeys.Contains(key))
            {
                throw new FormatException($"Connection string key '{key}' is not a storage connection string setting.");
            }

            if (!settings.TryAdd(key, part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"Connection string key '{key}' appears twice.");
            }
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var development))
        {
            if (!string.Equals(development, "true", StringComparison.OrdinalIgnoreCase) || settings.Count > 1)
            {
                throw new FormatException("UseDevelopmentStorage must be exactly 'UseDevelopmentStorage=true', without other settings.");
            }

            return new StorageConnectionString(
                new Uri(DevelopmentBlobEndpoint), DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey), null);
        }

        settings.TryGetValue("AccountName", out var accountName);
        if (accountName is not null && !IsAccountName(accountName))
        {
            throw new FormatException("AccountName must be 3 to 24 lower-case letters and digits (Azurite's devstoreaccount1 included).");
        }

        Uri endpoint;
        if (settings.TryGetValue("BlobEndpoint", out var blobEndpoint))
        {
            if (!Uri.TryCreate(blobEndpoint, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new FormatException("BlobEndpoint must be an absolute http or https URI.");
            }
        }
        else
        {
            if (accountName is null)
            {
                throw new FormatException("A connection string needs AccountName (or BlobEndpoint).");
            }

            var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
            if (protocol is not ("http" or "https"))
            {
                throw new FormatException("DefaultEndpointsProtocol must be http or https.");
            }

            var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net").Trim('.');
            if (!Uri.TryCreate($"{protocol}://{accountName}.blob.{suffix}", UriKind.Absolute, out endpoint!))
            {
                throw new FormatException("EndpointSuffix is not a host name suffix.");
            }
        }

        byte[]? keyBytes = null;
        if (settings.TryGetValue("AccountKey", out var accountKey))
        {
            if (accountName is null)
            {
                throw new FormatException("AccountKey needs AccountName.");
            }

            try
            {
                keyBytes = Convert.FromBase64String(accountKey);
            }
            catch (FormatException)
            {
                throw new FormatException("AccountKey is not valid base64.");
            }
        }

        var sas = settings.GetValueOrDefault("SharedAccessSignature")?.TrimStart('?');
        if (keyBytes is null && string.IsNullOrEmpty(sas))
        {
            throw new FormatException("A connection string needs AccountKey or SharedAccessSignature.");
        }

        return new StorageConnectionString(endpoint, accountName, keyBytes, keyBytes is null ? sas : null);
    }

    private static bool IsAccountName(string name) =>
        name.Length is >= 3 and <= 24 && name.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));
}
