using System.IO.Compression;
using System.Text;
using ModelFunctions.Core.Monitoring.Alerts;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class ApplicationInsightsAlertSinkTests
{
    [Fact]
    public async Task Send_TracksTheCustomEventWithItsProperties_AndMetricsAsMetrics()
    {
        // A real ingestion endpoint stand-in: the SDK posts its telemetry to {IngestionEndpoint}v2.1/track or v2/track.
        using var ingestion = new WebhookReceiver();
        var endpoint = ingestion.Root;
        using var sink = new ApplicationInsightsAlertSink($"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={endpoint}");
        var alert = new AlertEvent(AlertEventNames.ErrorRate, "iris", 2, "serverErrorRate", "rate", 0.5, 0.05, "firing", DateTimeOffset.UnixEpoch, "m");

        sink.RecordMetrics("iris", [new SignalEvaluation(2, "latencyP95", AlertCategory.Latency, "p95Ms", 12.5, 1000, false)]);
        await sink.SendAsync(alert, CancellationToken.None);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        do
        {
            text = string.Join('\n', ingestion.Received.Select(r => Decode(r.Body)));
            if (text.Contains("ModelFunctions.ErrorRateAlert", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains("\"name\":\"ModelFunctions.ErrorRateAlert\"", text, StringComparison.Ordinal);
        Assert.Contains("\"signal\":\"serverErrorRate\"", text, StringComparison.Ordinal);
        Assert.Contains("\"threshold\":\"0.05\"", text, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"firing\"", text, StringComparison.Ordinal);
        Assert.Contains("ModelFunctions.Monitoring.p95Ms", text, StringComparison.Ordinal);
    }

    private static string Decode(byte[] body)
    {
        if (body.Length > 2 && body[0] == 0x1f && body[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return reader.ReadToEnd();
        }

        return Encoding.UTF8.GetString(body);
    }
}
