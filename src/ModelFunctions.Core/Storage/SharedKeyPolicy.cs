using Azure.Core;
using Azure.Core.Pipeline;

namespace ModelFunctions.Core.Storage;

/// <summary>Signs every try with the account key (Authorization: SharedKey account:signature).</summary>
internal sealed class SharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly string _accountName;
    private readonly byte[] _accountKey;

    public SharedKeyPolicy(string accountName, byte[] accountKey)
    {
        _accountName = accountName;
        _accountKey = accountKey;
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) ? length : 0;
        var headers = request.Headers.Select(h => (h.Name, h.Value));
        var stringToSign = SharedKeySigner.StringToSign(request.Method.Method, request.Uri.ToUri(), contentLength, headers, _accountName);
        request.Headers.SetValue("Authorization", $"SharedKey {_accountName}:{SharedKeySigner.Sign(stringToSign, _accountKey)}");
    }
}
