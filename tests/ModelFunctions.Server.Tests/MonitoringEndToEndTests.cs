using System.Text.Json;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// The monitoring through the real server and the iris sample: capture on real requests, checks through
/// POST /api/monitoring/run, alerts to a real webhook receiver, canary decisions in the registry.
/// </summary>
public sealed class MonitoringEndToEndTests
{
    private static readonly string[] Features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    [Fact]
    public async Task SteadyTrafficOfEachSizeRaisesNothing_ShiftedFeaturesRaiseDriftOnExactlyThose_WebhookGetsSignedPayloads()
    {
        // Default drift settings: chi-squared decisions at a 1 % false-alarm rate per check, from 300 values.
        using var server = new MonitoringServer();
        var random = new Random(7);

        // Warm up: the outputs learn their baselines from this traffic, which then leaves the lookback.
        await SendAsync(server, Resample(random, 600));
        await server.RunChecksAsync();
        server.Time.Advance(TimeSpan.FromHours(2));

        foreach (var rows in new[] { 50, 200, 1000, 5000 })
        {
            await SendAsync(server, Resample(random, rows), rowsPerRequest: 25);
            var steady = await server.RunChecksAsync();
            var version = steady.GetProperty("versions")[0];
            Assert.Equal("reference", version.GetProperty("baselineSource").GetString());
            Assert.Equal(rows / 25, version.GetProperty("requests").GetProperty("success").GetInt64());
            var inputs = version.GetProperty("features").EnumerateArray().Where(f => !f.GetProperty("isOutput").GetBoolean()).ToArray();
            Assert.Equal(Features, inputs.Select(f => f.GetProperty("name").GetString()));
            Assert.All(inputs, f => Assert.Equal(rows, f.GetProperty("count").GetInt64()));
            var expected = rows < 300 ? "insufficientData" : "noDrift";
            Assert.All(inputs, f => Assert.Equal(expected, f.GetProperty("drift").GetProperty("verdict").GetString()));
            Assert.Empty(Firing(steady));
            Assert.Empty(server.SignedPayloads());
            server.Time.Advance(TimeSpan.FromHours(2));
        }

        // Petal length and width shift by one standard deviation.
        var shifted = Resample(random, 1000).Select(r => new[] { r[0], r[1], r[2] + Std(2), r[3] + Std(3) }).ToArray();
        await SendAsync(server, shifted, rowsPerRequest: 25);
        var drifted = await server.RunChecksAsync();

        var firing = Firing(drifted);
        var firingDrift = firing.Where(s => s.StartsWith("drift:", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(["drift:petal_length", "drift:petal_width"], firingDrift);

        // Nothing names an unshifted input; the outputs move with their inputs, and 2 of 4 inputs is the dataset share.
        Assert.All(firing.Where(s => s.Contains("sepal", StringComparison.Ordinal)), s => Assert.Fail($"{s} fired on an unshifted feature"));
        Assert.Contains("datasetDrift", firing);
        var dataset = drifted.GetProperty("versions")[0].GetProperty("datasetDrift");
        Assert.Equal(2, dataset.GetProperty("driftedFeatures").GetInt32());
        Assert.Equal(4, dataset.GetProperty("decidedFeatures").GetInt32());

        var driftPayloads = server.SignedPayloads()
            .Where(p => p.GetProperty("name").GetString() == "ModelFunctions.DriftAlert" && p.GetProperty("signal").GetString()!.StartsWith("drift:", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(firingDrift, driftPayloads.Select(p => p.GetProperty("signal").GetString()).Order());
        Assert.All(driftPayloads, p => Assert.Equal("firing", p.GetProperty("state").GetString()));
        Assert.All(driftPayloads, p => Assert.Equal("chiSquared", p.GetProperty("metric").GetString()));
        Assert.All(driftPayloads, p => Assert.True(p.GetProperty("value").GetDouble() < p.GetProperty("threshold").GetDouble()));
        Assert.All(driftPayloads, p => Assert.Contains("normalized Wasserstein", p.GetProperty("message").GetString(), StringComparison.Ordinal));

        // The latest report is served, and a second run does not raise the same alerts again.
        using var latest = JsonDocument.Parse(await server.Client.GetStringAsync("/api/models/iris/monitoring"));
        Assert.Equal(drifted.GetProperty("generatedAt").GetString(), latest.RootElement.GetProperty("generatedAt").GetString());
        var before = server.Receiver.Received.Count;
        await server.RunChecksAsync();
        Assert.Equal(before, server.Receiver.Received.Count);
    }

    [Fact]
    public async Task EveryRowFromTheFirstRequestOn_IsCaptured()
    {
        // The version's baselines start loading with its first request: the rows that arrive meanwhile are held
        // and captured once they are in, so all 730 rows (requests of 1 to 50 rows, sent at once) are counted.
        using var server = new MonitoringServer();
        var random = new Random(11);
        var rows = Resample(random, 730);
        var sizes = new List<int>();
        for (var sent = 0; sent < rows.Length; sent += sizes[^1])
        {
            sizes.Add(Math.Min(1 + random.Next(50), rows.Length - sent));
        }

        var offsets = sizes.Select((_, i) => sizes.Take(i).Sum()).ToArray();
        var statuses = await Task.WhenAll(sizes.Select((size, i) => server.InferAsync(rows.Skip(offsets[i]).Take(size), size)));
        Assert.All(statuses.SelectMany(s => s), status => Assert.Equal(200, status));

        var report = await server.RunChecksAsync();
        var version = report.GetProperty("versions")[0];
        var counts = version.GetProperty("rows");
        Assert.Equal(730, counts.GetProperty("seen").GetInt64());
        Assert.Equal(730, counts.GetProperty("captured").GetInt64());
        Assert.Equal(0, counts.GetProperty("droppedWhileLoading").GetInt64());
        Assert.Equal(0, counts.GetProperty("notSampled").GetInt64());
        var inputs = version.GetProperty("features").EnumerateArray().Where(f => !f.GetProperty("isOutput").GetBoolean()).ToArray();
        Assert.Equal(Features, inputs.Select(f => f.GetProperty("name").GetString()));
        Assert.All(inputs, f => Assert.Equal(730, f.GetProperty("count").GetInt64()));
        Assert.All(inputs, f => Assert.Equal(730, f.GetProperty("drift").GetProperty("sampleSize").GetInt64()));
    }

    [Fact]
    public async Task OutputsShowLearningProgress_EmptyRunsKeepTheEvidence_AlertsOfARetiredVersionRetire()
    {
        using var server = new MonitoringServer();
        var random = new Random(13);

        // 100 rows: the outputs are learning their baselines (200 values here) and the report says how far.
        await SendAsync(server, Resample(random, 100), rowsPerRequest: 20);
        var learning = (await server.RunChecksAsync()).GetProperty("versions")[0].GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("isOutput").GetBoolean()).ToArray();
        Assert.Equal(["probabilities[0]", "probabilities[1]", "probabilities[2]", "label"], learning.Select(f => f.GetProperty("name").GetString()));
        Assert.All(learning, f => Assert.Equal("learning", f.GetProperty("baseline").GetString()));
        Assert.All(learning, f => Assert.Equal(100, f.GetProperty("learning").GetProperty("values").GetInt64()));
        Assert.All(learning, f => Assert.Equal(200, f.GetProperty("learning").GetProperty("target").GetInt32()));
        var page = await server.Client.GetStringAsync("/monitoring/iris");
        Assert.Contains("learning baseline 100 / 200", page, StringComparison.Ordinal);

        // Shifted traffic fires drift on the shifted features.
        server.Time.Advance(TimeSpan.FromHours(2));
        var shifted = Resample(random, 1000).Select(r => new[] { r[0], r[1], r[2] + Std(2), r[3] + Std(3) }).ToArray();
        await SendAsync(server, shifted, rowsPerRequest: 25);
        var drifted = await server.RunChecksAsync();
        Assert.Contains("drift:petal_length", Firing(drifted));

        // A run with nothing in the lookback keeps that evidence, says so, and changes no alert.
        server.Time.Advance(TimeSpan.FromHours(2));
        var before = server.Receiver.Received.Count;
        var empty = await server.RunChecksAsync();
        var carried = empty.GetProperty("versions")[0];
        Assert.True(carried.GetProperty("windowEmpty").GetBoolean());
        Assert.Equal(drifted.GetProperty("generatedAt").GetDateTimeOffset(), carried.GetProperty("evidenceFrom").GetDateTimeOffset());
        var petal = carried.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "petal_length");
        Assert.Equal("drift", petal.GetProperty("drift").GetProperty("verdict").GetString());
        Assert.Equal(Firing(drifted).Order(), Firing(empty).Order());
        Assert.Equal(before, server.Receiver.Received.Count);
        Assert.Contains("No window of this version in the lookback", await server.Client.GetStringAsync("/monitoring/iris"), StringComparison.Ordinal);

        // Version 2 takes production: version 1's firing alerts retire, each with an event.
        await server.RegisterAsync(2, "iris.onnx");
        var retired = await server.RunChecksAsync();
        Assert.Empty(Firing(retired, version: 1));
        var states = retired.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("version").GetInt32() == 1).ToArray();
        Assert.Contains(states, a => a.GetProperty("signal").GetString() == "drift:petal_length" && a.GetProperty("state").GetString() == "retired");
        var retiredEvents = server.SignedPayloads().Where(p => p.GetProperty("state").GetString() == "retired").ToArray();
        Assert.Equal(Firing(drifted).Order(), retiredEvents.Select(p => p.GetProperty("signal").GetString()!).Order());
    }

    [Theory]
    // raw = iris.reference.csv; rows = float32(raw); win[i] = float32(rows[(i * 7919) % 600] * (1 + 0.02 * ((i * 0.6180339887 % 1) - 0.5)))
    // for i in 1..n; per column: stats.ks_2samp(raw[:, c], win[:, c]).statistic, stats.wasserstein_distance(raw[:, c], win[:, c])
    [InlineData(500, new[] { 0.026, 0.02033333333333333, 0.017666666666666667, 0.023666666666666666 }, new[] { 0.01973770416259764, 0.00934380035400389, 0.02663663619995113, 0.010583975247144686 })]
    [InlineData(50_000, new[] { 0.008833333333333249, 0.011840000000000073, 0.007480000000000042, 0.015846666666666648 }, new[] { 0.0068192816978454585, 0.004117696575323741, 0.0059295244062741136, 0.0028466093815644484 })]
    public async Task KolmogorovSmirnovAndWasserstein_MatchScipyOnTheFullDataWithinTheStatedError(int rows, double[] statistics, double[] distances)
    {
        // iris has 8 features (4 inputs, 4 outputs): reservoirs of 65,536 / 8 = 8,192 values; the 600-row reference
        // fits its baseline sample whole. So 500 rows are compared exactly, 50,000 within the DKW bound of 8,192.
        using var server = new MonitoringServer();
        var reference = MonitoringServer.ReferenceRows;
        var window = Enumerable.Range(1, rows)
            .Select(i => reference[i * 7919 % reference.Length].Select(v => (float)(v * (1 + (0.02 * ((i * 0.6180339887 % 1.0) - 0.5))))).ToArray())
            .ToArray();
        await SendAsync(server, window, rowsPerRequest: 500);
        var report = await server.RunChecksAsync();

        var inputs = report.GetProperty("versions")[0].GetProperty("features").EnumerateArray().Where(f => !f.GetProperty("isOutput").GetBoolean()).ToArray();
        for (var c = 0; c < 4; c++)
        {
            var drift = inputs[c].GetProperty("drift");
            Assert.Equal(rows, drift.GetProperty("sampleSize").GetInt64());
            var statistic = drift.GetProperty("kolmogorovSmirnov").GetProperty("statistic").GetDouble();
            var wasserstein = drift.GetProperty("wasserstein").GetDouble();
            var sd = Std(c);
            Console.WriteLine($"{rows} rows, {Features[c]}: KS {statistic:G6} (scipy {statistics[c]:G6}), Wasserstein {wasserstein:G6} (scipy {distances[c]:G6}, {Math.Abs(wasserstein - distances[c]) / sd:G2} SDs off)");
            if (rows <= 8192)
            {
                Assert.Equal(statistics[c], statistic, 1e-12);
                Assert.Equal(distances[c], wasserstein, 1e-6);
            }
            else
            {
                Assert.True(Math.Abs(statistic - statistics[c]) <= 0.0215, $"{Features[c]}: KS {statistic} against {statistics[c]}");
                // Wasserstein moves by at most the sample's error in the distribution function times the range
                // (the area between two distribution functions): the same 0.0215 over max - min.
                var range = window.Max(r => r[c]) - window.Min(r => r[c]);
                Assert.True(Math.Abs(wasserstein - distances[c]) <= 0.0215 * range, $"{Features[c]}: Wasserstein {wasserstein} against {distances[c]} (bound {0.0215 * range})");
            }
        }
    }

    [Fact]
    public async Task PsiAndJensenShannon_TakeTheOuterBinsOpenEnded_OutOfRangeIsItsOwnSignal()
    {
        // Petal length moved up by one standard deviation: many values land above the reference maximum.
        using var server = new MonitoringServer();
        var shifted = Resample(new Random(17), 1000).Select(r => new[] { r[0], r[1], r[2] + Std(2), r[3] }).ToArray();
        await SendAsync(server, shifted, rowsPerRequest: 50);
        var report = await server.RunChecksAsync();

        var petal = report.GetProperty("versions")[0].GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "petal_length");
        var reference = petal.GetProperty("referenceCounts").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var current = petal.GetProperty("currentCounts").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var drift = petal.GetProperty("drift");
        Assert.True(current[^1] > 100, $"{current[^1]} values above the reference maximum");
        Assert.Equal(current[^1] / current.Sum(), drift.GetProperty("outOfRangeRate").GetDouble(), 12);

        // The figures shown are those of the open-ended bins, not of separate near-empty outer buckets.
        var open = Fold(current);
        var openReference = Fold(reference);
        Assert.Equal(Psi(openReference, open), drift.GetProperty("populationStabilityIndex").GetDouble(), 9);
        Assert.True(Psi(reference, current) > Psi(openReference, open) + 1, $"separate outer buckets: PSI {Psi(reference, current)}, open-ended {Psi(openReference, open)}");
        Assert.Equal(JensenShannon(openReference, open), drift.GetProperty("jensenShannon").GetDouble(), 9);
        Assert.Contains("outOfRange:petal_length", Firing(report));

        static double[] Fold(double[] counts)
        {
            var open = counts[1..^1];
            open[0] += counts[0];
            open[^1] += counts[^1];
            return open;
        }

        // scipy's distance.jensenshannon(p, q, base=2).
        static double JensenShannon(double[] p, double[] q)
        {
            var ps = p.Select(v => v / p.Sum()).ToArray();
            var qs = q.Select(v => v / q.Sum()).ToArray();
            var divergence = 0.0;
            for (var i = 0; i < ps.Length; i++)
            {
                var m = (ps[i] + qs[i]) / 2;
                divergence += (ps[i] > 0 ? ps[i] * Math.Log2(ps[i] / m) : 0) + (qs[i] > 0 ? qs[i] * Math.Log2(qs[i] / m) : 0);
            }

            return Math.Sqrt(divergence / 2);
        }

        // Evidently's PSI: proportions, an empty one replaced by 1e-4.
        static double Psi(double[] expected, double[] actual)
        {
            var e = expected.Sum();
            var a = actual.Sum();
            return expected.Zip(actual).Sum(p =>
            {
                var x = p.First / e == 0 ? 1e-4 : p.First / e;
                var y = p.Second / a == 0 ? 1e-4 : p.Second / a;
                return (y - x) * Math.Log(y / x);
            });
        }
    }

    [Fact]
    public async Task InjectedFailures_FireErrorRateAndLatencyAlerts_ThenResolve()
    {
        using var server = new MonitoringServer();
        await server.SetSettingsAsync("""{"monitoring": {"health": {"latencyP95Ms": 0, "minimumRequests": 20}}}""");
        var random = new Random(3);

        // 30 requests the model refuses (3 columns instead of 4: answered 400) and 10 good ones.
        var bad = await server.InferAsync(Enumerable.Range(0, 30).Select(_ => new[] { 1f, 2f, 3f }), 1);
        Assert.All(bad, status => Assert.Equal(400, status));
        await SendAsync(server, Resample(random, 100), rowsPerRequest: 10);
        var failing = await server.RunChecksAsync();

        Assert.Contains("clientErrorRate", Firing(failing));
        Assert.Contains("latencyP95", Firing(failing));
        var fired = server.SignedPayloads();
        Assert.Contains(fired, p => p.GetProperty("name").GetString() == "ModelFunctions.ErrorRateAlert" && p.GetProperty("state").GetString() == "firing");
        Assert.Contains(fired, p => p.GetProperty("name").GetString() == "ModelFunctions.LatencyAlert" && p.GetProperty("state").GetString() == "firing");

        server.Time.Advance(TimeSpan.FromHours(2));
        await server.SetSettingsAsync("""{"monitoring": {"health": {"latencyP95Ms": 60000, "minimumRequests": 20}}}""");
        await SendAsync(server, Resample(random, 300), rowsPerRequest: 10);
        var healthy = await server.RunChecksAsync();

        Assert.DoesNotContain(Firing(healthy), s => s is "clientErrorRate" or "serverErrorRate" or "latencyP95");
        var alerts = healthy.GetProperty("alerts").EnumerateArray().ToArray();
        Assert.Equal("resolved", alerts.Single(a => a.GetProperty("signal").GetString() == "clientErrorRate").GetProperty("state").GetString());
        Assert.Equal("resolved", alerts.Single(a => a.GetProperty("signal").GetString() == "latencyP95").GetProperty("state").GetString());
        var resolved = server.SignedPayloads().Where(p => p.GetProperty("state").GetString() == "resolved").Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("ModelFunctions.ErrorRateAlert", resolved);
        Assert.Contains("ModelFunctions.LatencyAlert", resolved);
    }

    [Fact]
    public async Task FailingCanaryIsRolledBack_HealthyCanaryIsPromoted()
    {
        // Without graph optimizations: ONNX Runtime would otherwise optimize away the Reshape that makes v2 fail.
        using var server = new MonitoringServer(("ModelFunctions:OnnxRuntime:GraphOptimizationLevel", "Disabled"));
        await server.SetSettingsAsync("""
            {"policy": "canary", "canaryPercent": 10,
             "monitoring": {"canary": {"minimumRequests": 10, "promoteAfterRequests": 30, "promoteAfterMinutes": 0}}}
            """);
        var random = new Random(5);

        // v2 has iris's signature but fails at run time for batches of two rows or more: 500.
        await server.RegisterAsync(2, "iris_batch_one_only.onnx");
        var registered = await server.GetModelAsync();
        Assert.True(registered.GetProperty("canary").ValueKind == JsonValueKind.Number, registered.ToString());
        Assert.Equal(2, registered.GetProperty("canary").GetInt32());
        var failures = await server.InferAsync(Resample(random, 40), rowsPerRequest: 2, version: 2);
        Assert.All(failures, status => Assert.Equal(500, status));
        var rollback = await server.RunChecksAsync();

        Assert.Equal("rolledBack", rollback.GetProperty("canaryDecision").GetString());
        var afterRollback = await server.GetModelAsync();
        Assert.Equal(JsonValueKind.Null, afterRollback.GetProperty("canary").ValueKind);
        Assert.Equal(1, afterRollback.GetProperty("production").GetInt32());
        var state = await ReadStateAsync(server);
        Assert.StartsWith("monitoring: canary v2 serverErrorRate", state.History[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(StateActions.Traffic, state.History[^1].Action);
        Assert.Contains("serverErrorRate", Firing(rollback, version: 2));
        var payloads = server.SignedPayloads();
        Assert.Contains(payloads, p => p.GetProperty("name").GetString() == "ModelFunctions.CanaryRollback" && p.GetProperty("version").GetInt32() == 2);
        Assert.Contains(payloads, p => p.GetProperty("name").GetString() == "ModelFunctions.ErrorRateAlert" && p.GetProperty("version").GetInt32() == 2);

        // v3 is a healthy copy of iris: after enough good requests it becomes production.
        await server.RegisterAsync(3, "iris.onnx");
        Assert.Equal(3, (await server.GetModelAsync()).GetProperty("canary").GetInt32());
        var good = await server.InferAsync(Resample(random, 80), rowsPerRequest: 2, version: 3);
        Assert.All(good, status => Assert.Equal(200, status));
        var promotion = await server.RunChecksAsync();

        Assert.Equal("promoted", promotion.GetProperty("canaryDecision").GetString());
        var afterPromotion = await server.GetModelAsync();
        Assert.Equal(3, afterPromotion.GetProperty("production").GetInt32());
        Assert.Equal(JsonValueKind.Null, afterPromotion.GetProperty("canary").ValueKind);
        Assert.Contains(server.SignedPayloads(), p => p.GetProperty("name").GetString() == "ModelFunctions.CanaryPromotion" && p.GetProperty("version").GetInt32() == 3);
    }

    [Fact]
    public async Task ReportPage_RendersInHeadlessChromiumWithItsCharts_WithoutConsoleErrors()
    {
        var chromium = Chromium.Executable; // fails with an install hint when missing
        using var server = new MonitoringServer();
        var random = new Random(9);
        await SendAsync(server, Resample(random, 400));
        var report = await server.RunChecksAsync();
        var featureCount = report.GetProperty("versions")[0].GetProperty("features").GetArrayLength();

        using var response = await server.Client.GetAsync("/monitoring/iris");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var file = Path.Combine(server.StoreFolder, "report.html");
        await File.WriteAllTextAsync(file, html);

        var (dom, log) = await Chromium.DumpDomAsync(file);

        Assert.False(string.IsNullOrEmpty(chromium));
        Assert.Contains("Monitoring of iris", dom, StringComparison.Ordinal);
        var histograms = dom.Split("class=\"histogram\"").Length - 1;
        Assert.Equal(featureCount, histograms);
        Assert.Equal(2, dom.Split("class=\"series\"").Length - 1);
        Assert.Contains("<rect", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("CONSOLE", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Uncaught", log, StringComparison.Ordinal);

        // The bucket labels as Chromium lays them out: a copy of the page with a measuring script (the page itself
        // has none) finds every bucket named on the axis, inside its chart, no label over its neighbour.
        var measured = Path.Combine(server.StoreFolder, "report-layout.html");
        await File.WriteAllTextAsync(measured, html.Replace("</body>", LayoutScript + "</body>", StringComparison.Ordinal));
        var (layoutDom, layoutLog) = await Chromium.DumpDomAsync(measured);
        Assert.DoesNotContain("Uncaught", layoutLog, StringComparison.Ordinal);
        var start = layoutDom.IndexOf("<pre id=\"layout\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "the layout script did not run");
        start += "<pre id=\"layout\">".Length;
        using var layout = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(layoutDom[start..layoutDom.IndexOf("</pre>", start, StringComparison.Ordinal)]));
        var charted = report.GetProperty("versions")[0].GetProperty("features").EnumerateArray().Where(f => f.GetProperty("labels").GetArrayLength() > 0).ToArray();
        Assert.Equal(charted.Length, layout.RootElement.GetArrayLength());
        for (var i = 0; i < charted.Length; i++)
        {
            var chart = layout.RootElement[i];
            var expected = charted[i].GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToArray();
            Assert.Equal(expected, chart.GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
            Assert.True(chart.GetProperty("inside").GetBoolean(), $"{charted[i].GetProperty("name")}: a label leaves its chart");
            Assert.False(chart.GetProperty("overlap").GetBoolean(), $"{charted[i].GetProperty("name")}: labels overlap");
        }
    }

    private const string LayoutScript = """
        <script>
        const charts = [];
        for (const svg of document.querySelectorAll('svg.histogram')) {
          const box = svg.getBoundingClientRect();
          const labels = [...svg.querySelectorAll('text.bin-label')];
          const rects = labels.map(t => t.getBoundingClientRect());
          charts.push({
            texts: labels.map(t => t.textContent),
            inside: rects.every(r => r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5),
            overlap: rects.some((r, i) => i > 0 && r.left < rects[i - 1].right - 0.5),
          });
        }
        const pre = document.createElement('pre');
        pre.id = 'layout';
        pre.textContent = JSON.stringify(charts);
        document.body.appendChild(pre);
        </script>
        """;

    [Fact]
    public async Task ReportPage_EscapesModelNames_AndUnknownModelsHaveNoReport()
    {
        using var server = new MonitoringServer();
        using var page = await server.Client.GetAsync("/monitoring/%3Cb%3Ex");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(404, (int)page.StatusCode);
        Assert.Contains("&lt;b&gt;x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x", html, StringComparison.Ordinal);
        using var report = await server.Client.GetAsync("/api/models/iris/monitoring");
        Assert.Equal(404, (int)report.StatusCode);
    }

    [Fact]
    public async Task RunNeedsTheAdminKey_ReportNeedsTheInferenceKey()
    {
        using var server = new MonitoringServer(("ModelFunctions:Keys:Admin", "admin-key"), ("ModelFunctions:Keys:Inference", "inference-key"));

        using var anonymous = await server.Client.PostAsync("/api/monitoring/run", null);
        using var withInferenceKey = await Send(server, HttpMethod.Post, "/api/monitoring/run", "inference-key");
        using var withAdminKey = await Send(server, HttpMethod.Post, "/api/monitoring/run", "admin-key");
        using var reportAnonymous = await server.Client.GetAsync("/api/models/iris/monitoring");
        using var report = await Send(server, HttpMethod.Get, "/api/models/iris/monitoring", "inference-key");

        Assert.Equal(401, (int)anonymous.StatusCode);
        Assert.Equal(401, (int)withInferenceKey.StatusCode);
        Assert.Equal(200, (int)withAdminKey.StatusCode);
        Assert.Equal(401, (int)reportAnonymous.StatusCode);
        Assert.Equal(200, (int)report.StatusCode);
    }

    private static async Task<HttpResponseMessage> Send(MonitoringServer server, HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-api-key", key);
        return await server.Client.SendAsync(request);
    }

    private static async Task SendAsync(MonitoringServer server, float[][] rows, int rowsPerRequest = 50)
    {
        var statuses = await server.InferAsync(rows, rowsPerRequest);
        Assert.All(statuses, status => Assert.Equal(200, status));
    }

    private static float[][] Resample(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => MonitoringServer.ReferenceRows[random.Next(MonitoringServer.ReferenceRows.Length)]).ToArray();

    private static float Std(int column)
    {
        var values = MonitoringServer.ReferenceRows.Select(r => (double)r[column]).ToArray();
        var mean = values.Average();
        return (float)Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    private static string[] Firing(JsonElement report, int? version = null) => report.GetProperty("alerts").EnumerateArray()
        .Where(a => a.GetProperty("state").GetString() == "firing" && (version is null || a.GetProperty("version").GetInt32() == version))
        .Select(a => a.GetProperty("signal").GetString()!)
        .ToArray();

    private static async Task<ModelState> ReadStateAsync(MonitoringServer server)
    {
        await using var download = await server.Store.OpenReadAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.StateBlob("iris"), CancellationToken.None);
        using var buffer = new MemoryStream();
        await download!.Content.CopyToAsync(buffer);
        return RegistryJson.Deserialize<ModelState>(buffer.ToArray());
    }
}
