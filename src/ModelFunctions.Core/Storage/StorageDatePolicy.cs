using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ModelFunctions.Core.Storage;

/// <summary>Stamps every try with the service version and a fresh x-ms-date, which signatures cover.</summary>
internal sealed class StorageDatePolicy : HttpPipelineSynchronousPolicy
{
    private readonly TimeProvider _time;

    public StorageDatePolicy(TimeProvider time)
    {
        _time = time;
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("x-ms-date", _time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("x-ms-version", AzureBlobStore.ApiVersion);
    }
}
