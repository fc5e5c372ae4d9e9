using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>
/// POSTs each event as JSON to <see cref="MonitoringOptions.WebhookUrl"/>, signed in the header
/// <c>X-ModelFunctions-Signature: sha256=&lt;lower-case hex HMAC-SHA256 of the body with the secret&gt;</c>.
/// Each attempt has a timeout; failures (network, timeout, 408, 429, 5xx) are retried with exponential backoff.
/// </summary>
internal sealed class WebhookAlertSink : IAlertSink, IDisposable
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-ModelFunctions-Signature";

    private readonly HttpClient _client;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookAlertSink> _logger;

    public WebhookAlertSink(IOptions<MonitoringOptions> options, TimeProvider time, ILogger<WebhookAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        // Per-attempt timeouts come from a token; the client's own would cut the whole retry sequence.
        _client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name => "webhook";

    /// <summary>The signature header value of a body.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return "sha256=" + Convert.ToHexStringLower(hash);
    }

    public async Task SendAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (_options.WebhookUrl is not { } url)
        {
            return;
        }

        var body = RegistryJson.Serialize(alert);
        var delay = _options.WebhookBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.WebhookTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (!string.IsNullOrEmpty(_options.WebhookSecret))
                {
                    request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(body, _options.WebhookSecret));
                }

                using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (!IsTransient(response.StatusCode) || attempt >= _options.WebhookAttempts)
                {
                    throw new HttpRequestException($"The webhook answered {(int)response.StatusCode}.", null, response.StatusCode);
                }

                _logger.LogWarning("Webhook answered {Status} on attempt {Attempt}; retrying", (int)response.StatusCode, attempt);
            }
            catch (Exception ex) when (attempt < _options.WebhookAttempts && !cancellationToken.IsCancellationRequested
                && ex is HttpRequestException { StatusCode: null } or OperationCanceledException)
            {
                _logger.LogWarning(ex, "Webhook attempt {Attempt} failed; retrying", attempt);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The webhook did not answer within {_options.WebhookTimeout.TotalSeconds} s.", ex);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    public void Dispose() => _client.Dispose();

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
