using System.Net;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary><c>GET /metrics</c> after traffic: success and failure counters and duration histograms per model and version.</summary>
[Collection(ServerCollection.Name)]
public sealed class MetricsTests(ServerFixture server)
{
    [Fact]
    public async Task MetricsCountSuccessesAndFailuresWithDurationsByModelAndVersion()
    {
        await server.EnsureAsync("metered", 1, "iris.onnx");
        const int Successes = 25;
        const int Failures = 7;
        for (var i = 0; i < Successes; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.PostJsonAsync(server.Client, "/v2/models/metered/infer", Api.IrisRequest([Api.IrisRow, Api.IrisRow]))).Status);
        }

        for (var i = 0; i < Failures; i++)
        {
            var bad = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"INT32\", \"data\": [1, 2, 3, 4]}]}";
            Assert.Equal(HttpStatusCode.BadRequest, (await Api.PostJsonAsync(server.Client, "/v2/models/metered/versions/1/infer", bad)).Status);
        }

        using var response = await server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        string[] series = ["model=\"metered\"", "version=\"1\""];

        Assert.Equal(Successes, PrometheusText.Sum(text, "modelfunctions_inference_request_success_total", series));
        Assert.Equal(Failures, PrometheusText.Sum(text, "modelfunctions_inference_request_failure_total", series));
        // Two rows per successful request; one execution each (batching is off on this server).
        Assert.Equal(2 * Successes, PrometheusText.Sum(text, "modelfunctions_inference_count_total", series));
        Assert.True(PrometheusText.Sum(text, "modelfunctions_inference_exec_count_total", series) >= Successes);
        Assert.True(PrometheusText.Sum(text, "modelfunctions_inference_request_duration_seconds_count", series) >= Successes);
        Assert.True(PrometheusText.Sum(text, "modelfunctions_inference_request_duration_seconds_sum", series) > 0);
        Assert.True(PrometheusText.Sum(text, "modelfunctions_inference_compute_duration_seconds_count", series) >= Successes);
        Assert.Contains("# TYPE modelfunctions_inference_request_duration_seconds histogram", text);
        Assert.Contains("modelfunctions_inference_request_duration_seconds_bucket{", text);
        Assert.Contains("le=\"+Inf\"", text);
    }

    [Fact]
    public async Task MetricsCarryTheRuntimesOwnGcAndMemoryMeters()
    {
        // The server runs in this process here: a collection makes the last-collection sizes exist.
        var allocated = new byte[8 * 1024 * 1024];
        GC.KeepAlive(allocated);
        GC.Collect();
        var text = await PrometheusText.ScrapeAsync(server.Client);

        Assert.Contains("# TYPE dotnet_gc_heap_total_allocated_bytes_total counter", text, StringComparison.Ordinal);
        Assert.True(PrometheusText.Sum(text, "dotnet_gc_heap_total_allocated_bytes_total") >= allocated.Length);
        Assert.Contains("# TYPE dotnet_gc_last_collection_heap_size_bytes gauge", text, StringComparison.Ordinal);
        Assert.True(PrometheusText.Sum(text, "dotnet_gc_last_collection_heap_size_bytes", "gc_heap_generation=\"gen0\"") >= 0);
        Assert.True(PrometheusText.Sum(text, "dotnet_gc_last_collection_heap_size_bytes") > 0);
        Assert.True(PrometheusText.Sum(text, "dotnet_gc_collections_total", "gc_heap_generation=\"gen2\"") >= 1);
        Assert.True(PrometheusText.Sum(text, "dotnet_process_memory_working_set_bytes") > 0);

        // Observable counters report their current total, not a sum of every scrape.
        var again = await PrometheusText.ScrapeAsync(server.Client);
        var first = PrometheusText.Sum(text, "dotnet_gc_heap_total_allocated_bytes_total");
        var second = PrometheusText.Sum(again, "dotnet_gc_heap_total_allocated_bytes_total");
        Assert.InRange(second, first, first + (64 * 1024 * 1024));
    }
}
