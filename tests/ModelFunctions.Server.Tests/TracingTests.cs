using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using ModelFunctions.Core.Tests.Monitoring;
using ModelFunctions.Core.Tracing;

namespace ModelFunctions.Server.Tests;

/// <summary>Distributed tracing: a client's W3C traceparent carries into the serving spans, which go out over OTLP when configured.</summary>
public sealed class TracingTests
{
    private static readonly object IrisRequest = new
    {
        inputs = new[] { new { name = "features", shape = new[] { 2, 4 }, datatype = "FP32", data = new[] { 5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f } } },
    };

    [Fact]
    public async Task ATraceparentCarriesThroughToTheInferAndRunSpans_TaggedWithModelVersionRowsAndOutcome()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        var seen = new ConcurrentQueue<Activity>();
        using var listener = Listen(traceId, seen);
        using var server = new MonitoringServer();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/iris/infer") { Content = JsonContent.Create(IrisRequest) };
        request.Headers.Add("traceparent", $"00-{traceId}-{clientSpan}-01");
        using var response = await server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        var infer = Assert.Single(seen, a => a.OperationName == ServingActivities.Infer);
        var run = Assert.Single(seen, a => a.OperationName == ServingActivities.Run);
        var http = Assert.Single(seen, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(clientSpan, http.ParentSpanId);
        Assert.Equal(http.SpanId, infer.ParentSpanId);
        Assert.Equal(infer.SpanId, run.ParentSpanId);
        Assert.Equal("iris", infer.GetTagItem("modelfunctions.model"));
        Assert.Equal("1", infer.GetTagItem("modelfunctions.version"));
        Assert.Equal(2L, infer.GetTagItem("modelfunctions.rows"));
        Assert.Equal("Success", infer.GetTagItem("modelfunctions.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, infer.Status);
    }

    [Fact]
    public async Task RegistrationsAndMonitoringRuns_HaveSpansOfTheirOwn()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentQueue<Activity>();
        using var listener = Listen(traceId, seen);
        using var server = new MonitoringServer();
        await server.PutAsync(Core.Registry.ModelStoreLayout.ModelBlob("iris", 2), await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "models", "iris.onnx")));

        // Called from an admin request, they join its trace (from a schedule or a blob trigger they start their own).
        foreach (var path in new[] { "/api/registry/scan", "/api/monitoring/run" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path);
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await server.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        var register = Assert.Single(seen, a => a.OperationName == ServingActivities.Register && (int?)a.GetTagItem("modelfunctions.version") == 2);
        Assert.Equal("iris", register.GetTagItem("modelfunctions.model"));
        Assert.Equal("Registered", register.GetTagItem("modelfunctions.outcome"));
        var monitoring = Assert.Single(seen, a => a.OperationName == ServingActivities.Monitoring);
        Assert.Equal("drift,health", monitoring.GetTagItem("modelfunctions.checks"));
        Assert.Equal(1, monitoring.GetTagItem("modelfunctions.models"));
    }

    /// <summary>Collects the stopped serving and ASP.NET Core spans of one trace (other tests' spans are ignored).</summary>
    private static ActivityListener Listen(ActivityTraceId traceId, ConcurrentQueue<Activity> seen)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ServingActivities.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    seen.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TheSpansAreExported()
    {
        using var collector = new WebhookReceiver();
        using var server = new MonitoringServer(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Root.ToString().TrimEnd('/')),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"));

        using var response = await server.Client.PostAsJsonAsync("/v2/models/iris/infer", IrisRequest);
        response.EnsureSuccessStatusCode();

        // OTLP/HTTP posts protobuf to /v1/traces: the span names travel as plain UTF-8 strings inside it.
        var name = Encoding.UTF8.GetBytes(ServingActivities.Infer);
        for (var attempt = 0; attempt < 100 && !collector.Received.Any(r => r.Body.AsSpan().IndexOf(name) >= 0); attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(collector.Received, r => r.Body.AsSpan().IndexOf(name) >= 0);
    }
}
