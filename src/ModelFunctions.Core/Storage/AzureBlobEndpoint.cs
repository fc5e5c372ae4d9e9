using Azure.Core;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// Where an Azure blob service is and how to authorize against it: a shared key, a SAS token, or a token credential
/// (exactly one of them, or none for public access).
/// </summary>
/// <param name="ServiceUri">The blob service endpoint, e.g. https://account.blob.core.windows.net or Azurite's http://127.0.0.1:10000/devstoreaccount1.</param>
/// <param name="AccountName">The storage account name (needed for Shared Key).</param>
/// <param name="AccountKey">The account key bytes for Shared Key, or null.</param>
/// <param name="SasToken">A SAS query string (without '?'), or null.</param>
/// <param name="Credential">A Microsoft Entra credential, or null.</param>
internal sealed record AzureBlobEndpoint(
    Uri ServiceUri,
    string? AccountName,
    byte[]? AccountKey,
    string? SasToken,
    TokenCredential? Credential)
{
    /// <summary>How requests are authorized, for messages.</summary>
    public string AuthKind => AccountKey is not null ? "shared key"
        : SasToken is not null ? "SAS"
        : Credential is not null ? "Microsoft Entra ID"
        : "anonymous";

    /// <inheritdoc />
    public override string ToString() => $"{ServiceUri.GetLeftPart(UriPartial.Path).TrimEnd('/')} ({AuthKind})";
}
