using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Monitoring;
using ModelFunctions.Core.Monitoring.Alerts;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class WebhookAlertSinkTests
{
    private const string Secret = "test-secret";

    private static readonly AlertEvent Sample = new(
        AlertEventNames.Drift, "iris", 1, "drift:petal_length", "normalizedWasserstein", 0.8, 0.1, "firing", DateTimeOffset.UnixEpoch, "iris v1 drifted");

    [Fact]
    public async Task Send_PostsJsonSignedWithHmacSha256OfTheBody()
    {
        using var receiver = new WebhookReceiver();
        using var sink = CreateSink(receiver.Url);

        await sink.SendAsync(Sample, CancellationToken.None);

        var (signature, body) = Assert.Single(receiver.Received);
        // Verified independently of the sink's own Sign: HMAC-SHA256 of the received bytes with the secret.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        Assert.Equal(expected, signature);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("ModelFunctions.DriftAlert", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("drift:petal_length", json.RootElement.GetProperty("signal").GetString());
        Assert.Equal(0.8, json.RootElement.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Send_RetriesTransientFailuresWithBackoff()
    {
        using var receiver = new WebhookReceiver(503, 500);
        using var sink = CreateSink(receiver.Url);

        await sink.SendAsync(Sample, CancellationToken.None);

        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Signature).Distinct());
    }

    [Fact]
    public async Task Send_GivesUpAfterTheAttempts_AndOnClientErrorsAtOnce()
    {
        using var failing = new WebhookReceiver(500, 500, 500, 500);
        using var sink = CreateSink(failing.Url);
        await Assert.ThrowsAsync<HttpRequestException>(() => sink.SendAsync(Sample, CancellationToken.None));
        Assert.Equal(3, failing.Received.Count);

        using var refusing = new WebhookReceiver(400);
        using var other = CreateSink(refusing.Url);
        await Assert.ThrowsAsync<HttpRequestException>(() => other.SendAsync(Sample, CancellationToken.None));
        Assert.Single(refusing.Received);
    }

    [Fact]
    public async Task Send_SlowReceiver_TimesOutPerAttempt()
    {
        using var receiver = new WebhookReceiver { Delay = TimeSpan.FromSeconds(3) };
        using var sink = CreateSink(receiver.Url, timeout: TimeSpan.FromMilliseconds(200), attempts: 2);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => sink.SendAsync(Sample, CancellationToken.None));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2.5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Dispatcher_FailingSinkDoesNotStopTheOthers()
    {
        using var receiver = new WebhookReceiver();
        using var webhook = CreateSink(receiver.Url);
        var dispatcher = new AlertDispatcher([new ThrowingSink(), webhook], NullLogger<AlertDispatcher>.Instance);

        await dispatcher.DispatchAsync("iris", [Sample], [], CancellationToken.None);

        Assert.Single(receiver.Received);
    }

    private static WebhookAlertSink CreateSink(Uri url, TimeSpan? timeout = null, int attempts = 3) => new(
        Microsoft.Extensions.Options.Options.Create(new MonitoringOptions
        {
            WebhookUrl = url,
            WebhookSecret = Secret,
            WebhookAttempts = attempts,
            WebhookBackoff = TimeSpan.FromMilliseconds(20),
            WebhookTimeout = timeout ?? TimeSpan.FromSeconds(5),
        }),
        TimeProvider.System,
        NullLogger<WebhookAlertSink>.Instance);

    private sealed class ThrowingSink : IAlertSink
    {
        public string Name => "throwing";

        public Task SendAsync(AlertEvent alert, CancellationToken cancellationToken) => throw new InvalidOperationException("sink down");

        public void RecordMetrics(string model, IReadOnlyList<SignalEvaluation> evaluations) => throw new InvalidOperationException("sink down");
    }
}
