using Azure.Core;

namespace ModelFunctions.Core.Storage;

/// <summary>Azure.Core client options of the blob REST pipeline (retry, diagnostics, transport).</summary>
internal sealed class AzureBlobClientOptions : ClientOptions
{
}
