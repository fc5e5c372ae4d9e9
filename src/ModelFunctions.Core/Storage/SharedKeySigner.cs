using System.Security.Cryptography;
using System.Text;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// The Blob service's Shared Key string-to-sign (version 2009-09-19 and later) and its HMAC-SHA256 signature.
/// </summary>
internal static class SharedKeySigner
{
    // Standard headers in the order the string-to-sign lists them; Date stays empty because x-ms-date is sent.
    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    /// <summary>Builds the string to sign for a request.</summary>
    /// <param name="method">HTTP verb, upper case.</param>
    /// <param name="uri">The request URI as sent (path percent-encoded).</param>
    /// <param name="contentLength">Body length; 0 is signed as an empty line.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="accountName">The storage account.</param>
    public static string StringToSign(string method, Uri uri, long contentLength, IEnumerable<(string Name, string Value)> headers, string accountName)
    {
        var all = headers.ToList();
        var builder = new StringBuilder(256);
        builder.Append(method).Append('\n');
        foreach (var name in StandardHeaders)
        {
            var value = name switch
            {
                "Content-Length" => contentLength > 0 ? contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
                "Date" => string.Empty,
                _ => all.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty,
            };
            builder.Append(value).Append('\n');
        }

        var msHeaders = all
            .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Name.ToLowerInvariant(), Value: Unfold(h.Value)))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in msHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(uri.AbsolutePath);
        foreach (var (name, values) in CanonicalQuery(uri.Query))
        {
            builder.Append('\n').Append(name).Append(':').Append(values);
        }

        return builder.ToString();
    }

    /// <summary>Base64 of HMAC-SHA256 of the UTF-8 string under the key.</summary>
    public static string Sign(string stringToSign, byte[] accountKey) =>
        Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));

    private static string Unfold(string value)
    {
        var builder = new StringBuilder(value.Length);
        var lastWasSpace = false;
        foreach (var c in value.Trim())
        {
            var space = c is ' ' or '\t' or '\r' or '\n';
            if (!space || !lastWasSpace)
            {
                builder.Append(space ? ' ' : c);
            }

            lastWasSpace = space;
        }

        return builder.ToString();
    }

    private static IEnumerable<(string Name, string Values)> CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return [];
        }

        return query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=');
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
                return (Name: Uri.UnescapeDataString(name).ToLowerInvariant(), Value: Uri.UnescapeDataString(value));
            })
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, string.Join(',', g.Select(p => p.Value).Order(StringComparer.Ordinal))));
    }
}
