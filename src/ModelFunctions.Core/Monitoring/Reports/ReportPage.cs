using System.Globalization;
using System.Net;
using System.Text;
using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Monitoring.Reports;

/// <summary>
/// Renders a report as one self-contained HTML page: no script, no external resource; charts are inline SVG
/// (baseline vs current histogram per feature, errors and p95 latency per window), then the alert states and
/// history. Every text from the report is HTML-encoded.
/// </summary>
public static class ReportPage
{
    private const int ChartWidth = 360;
    private const int ChartHeight = 140;

    // Height under a histogram's axis for its turned bucket labels, the least horizontal room one label needs, and
    // the longest label drawn whole (the tooltip has it all).
    private const int LabelSpace = 112;
    private const double LabelPitch = 11;
    private const int MaxLabelLength = 24;

    /// <summary>The page of a model's latest report (a placeholder page when there is none yet).</summary>
    public static string Render(string model, MonitoringReport? report)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Monitoring: ")
            .Append(E(model))
            .Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}")
            .Append("table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.85rem;text-align:left}")
            .Append(".drift{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.grid{display:flex;flex-wrap:wrap;gap:1rem}")
            .Append("figure{margin:0;border:1px solid #eee;padding:.5rem}figcaption{font-size:.85rem}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .2rem 0 .6rem}")
            .Append("</style></head><body>");
        html.Append("<h1>Monitoring of ").Append(E(model)).Append("</h1>");
        if (report is null)
        {
            html.Append("<p>No report yet: run the checks (POST /api/monitoring/run) or wait for the schedule.</p></body></html>");
            return html.ToString();
        }

        html.Append("<p>Generated ").Append(E(report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture)))
            .Append(", windows since ").Append(E(report.From.ToString("u", CultureInfo.InvariantCulture)))
            .Append(". Production: ").Append(E(report.Production?.ToString(CultureInfo.InvariantCulture) ?? "none"))
            .Append(", canary: ").Append(E(report.Canary is { } c ? string.Create(CultureInfo.InvariantCulture, $"v{c} at {report.CanaryPercent} %") : "none"));
        if (report.CanaryDecision is { } decision)
        {
            html.Append(", canary decision: <strong>").Append(E(decision)).Append("</strong>");
        }

        html.Append(".</p>");
        foreach (var problem in report.Problems)
        {
            html.Append("<p class=\"drift\">").Append(E(problem)).Append("</p>");
        }

        html.Append("<p class=\"legend\">Histograms:<span style=\"background:#90a4ae\"></span>baseline<span style=\"background:#e65100\"></span>current</p>");
        foreach (var version in report.Versions)
        {
            RenderVersion(html, version);
        }

        RenderAlerts(html, report);
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void RenderVersion(StringBuilder html, VersionReport version)
    {
        html.Append("<h2>Version ").Append(version.Version.ToString(CultureInfo.InvariantCulture)).Append(" (").Append(E(version.Role)).Append(")</h2>");
        html.Append("<table><tr><th>requests</th><th>success</th><th>client errors</th><th>server errors</th><th>unavailable</th><th>server error rate</th><th>client error rate</th><th>p95 ms</th><th>baseline</th></tr><tr>")
            .Append(Td(version.Requests.Total)).Append(Td(version.Requests.Success)).Append(Td(version.Requests.ClientError))
            .Append(Td(version.Requests.ServerError)).Append(Td(version.Requests.Unavailable))
            .Append(Td(version.ServerErrorRate)).Append(Td(version.ClientErrorRate)).Append(Td(version.P95Ms)).Append("<td>").Append(E(version.BaselineSource)).Append("</td></tr></table>");

        if (version.WindowEmpty)
        {
            html.Append("<p class=\"drift\">No window of this version in the lookback: the figures below are the last evidence, from ")
                .Append(E(version.EvidenceFrom?.ToString("u", CultureInfo.InvariantCulture) ?? "an earlier run")).Append(".</p>");
        }

        var rows = version.Rows;
        html.Append("<p>Rows: ").Append(E(rows.Seen.ToString("N0", CultureInfo.InvariantCulture))).Append(" seen, ")
            .Append(E(rows.Captured.ToString("N0", CultureInfo.InvariantCulture))).Append(" captured, ")
            .Append(E(rows.NotSampled.ToString("N0", CultureInfo.InvariantCulture))).Append(" not sampled, ")
            .Append(E(rows.DroppedWhileLoading.ToString("N0", CultureInfo.InvariantCulture))).Append(" dropped while the baselines loaded.</p>");
        html.Append("<div class=\"grid\">");
        var points = version.Series;
        html.Append("<figure><figcaption>Error rate per window</figcaption>")
            .Append(LineChart(points.Select(p => p.Requests == 0 ? 0 : (double)(p.ServerErrors + p.ClientErrors) / p.Requests).ToArray(), "#b00020"))
            .Append("</figure>");
        html.Append("<figure><figcaption>p95 latency per window (ms)</figcaption>")
            .Append(LineChart(points.Select(p => p.P95Ms ?? 0).ToArray(), "#1565c0"))
            .Append("</figure></div>");

        html.Append("<h3>Features</h3>");
        if (version.DatasetDrift is { } dataset)
        {
            html.Append("<p>Dataset drift: ").Append(Count(dataset.DriftedFeatures)).Append(" of ").Append(Count(dataset.DecidedFeatures))
                .Append(" decided input features drifted (threshold share ").Append(E(dataset.Threshold.ToString("G3", CultureInfo.InvariantCulture))).Append(")")
                .Append(dataset.Drifted ? ": <span class=\"drift\">drifted</span>" : "").Append(". ");
        }
        else
        {
            html.Append("<p>");
        }

        html.Append(Count(version.TestDecisions)).Append(" test decisions share the false-alarm rate.</p>");
        html.Append("<table><tr><th>feature</th><th>kind</th><th>baseline</th><th>values</th><th>metric</th><th>value</th><th>threshold</th><th>verdict</th><th>PSI</th><th>JS</th><th>norm. Wasserstein</th><th>KS p</th><th>chi-squared p</th><th>missing</th><th>out of range</th></tr>");
        foreach (var feature in version.Features)
        {
            var drift = feature.Drift;
            var css = drift?.Verdict == DriftVerdict.Drift ? "drift" : "ok";
            html.Append("<tr><td>").Append(E(feature.Name)).Append("</td><td>").Append(feature.IsOutput ? "output" : "input")
                .Append("</td><td>").Append(E(feature.Baseline)).Append("</td>").Append(Td(feature.Count))
                .Append("<td>").Append(E(drift?.DecisionMetric.ToString() ?? "")).Append("</td>").Append(Td(drift?.DecisionValue)).Append(Td(drift?.Threshold))
                .Append("<td class=\"").Append(css).Append("\">").Append(E(Verdict(feature))).Append("</td>")
                .Append(Td(drift?.PopulationStabilityIndex)).Append(Td(drift?.JensenShannon)).Append(Td(drift?.NormalizedWasserstein))
                .Append(Td(drift?.KolmogorovSmirnov?.PValue)).Append(Td(drift?.ChiSquared?.PValue)).Append(Td(drift?.MissingRate)).Append(Td(drift?.OutOfRangeRate)).Append("</tr>");
        }

        html.Append("</table><div class=\"grid\">");
        foreach (var feature in version.Features.Where(f => f.Labels.Count > 0))
        {
            html.Append("<figure><figcaption>").Append(E(feature.Name)).Append(": ")
                .Append(E(Verdict(feature.Drift))).Append("</figcaption>")
                .Append(HistogramChart(feature))
                .Append("</figure>");
        }

        html.Append("</div>");
    }

    private static string Verdict(FeatureReport feature) => feature.Learning is { } learning && feature.Drift is null
        ? string.Create(CultureInfo.InvariantCulture, $"learning baseline {learning.Values} / {learning.Target}")
        : Verdict(feature.Drift);

    private static string Verdict(FeatureDriftReport? drift) => drift switch
    {
        null => "no baseline yet",
        { Verdict: DriftVerdict.InsufficientData } => string.Create(CultureInfo.InvariantCulture, $"insufficient data ({drift.SampleSize} of {drift.MinimumSampleSize})"),
        _ => drift.Verdict.ToString(),
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void RenderAlerts(StringBuilder html, MonitoringReport report)
    {
        html.Append("<h2>Alerts</h2><table><tr><th>version</th><th>signal</th><th>state</th><th>metric</th><th>value</th><th>threshold</th><th>since</th></tr>");
        foreach (var alert in report.Alerts.Where(a => a.State != Alerts.AlertState.Ok))
        {
            html.Append("<tr>").Append(Td(alert.Version)).Append("<td>").Append(E(alert.Signal)).Append("</td><td class=\"")
                .Append(alert.State == Alerts.AlertState.Firing ? "drift" : "ok").Append("\">").Append(E(alert.State.ToString())).Append("</td><td>")
                .Append(E(alert.Metric)).Append("</td>").Append(Td(alert.Value)).Append(Td(alert.Threshold))
                .Append("<td>").Append(E(alert.Since.ToString("u", CultureInfo.InvariantCulture))).Append("</td></tr>");
        }

        html.Append("</table><h2>Alert history</h2><table><tr><th>at</th><th>event</th><th>version</th><th>signal</th><th>state</th><th>message</th></tr>");
        foreach (var e in report.RecentEvents.Reverse())
        {
            html.Append("<tr><td>").Append(E(e.At.ToString("u", CultureInfo.InvariantCulture))).Append("</td><td>").Append(E(e.Name)).Append("</td>")
                .Append(Td(e.Version)).Append("<td>").Append(E(e.Signal)).Append("</td><td>").Append(E(e.State)).Append("</td><td>")
                .Append(E(e.Message)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static string HistogramChart(FeatureReport feature)
    {
        var reference = Proportions(feature.ReferenceCounts);
        var current = Proportions(feature.CurrentCounts);
        var buckets = feature.Labels.Count;
        var max = Math.Max(reference.DefaultIfEmpty(0).Max(), current.DefaultIfEmpty(0).Max());
        max = max <= 0 ? 1 : max;
        var plot = ChartHeight;
        const int height = ChartHeight + LabelSpace;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" width=\"{ChartWidth}\" height=\"{height}\" viewBox=\"0 0 {ChartWidth} {height}\" role=\"img\" aria-label=\"histogram of {E(feature.Name)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{plot}\" x2=\"{ChartWidth}\" y2=\"{plot}\" stroke=\"#999\"/>");
        var slot = (double)ChartWidth / Math.Max(1, buckets);
        var bar = Math.Max(1, (slot - 2) / 2);

        // Bucket ranges on the axis, upright text read bottom to top; with many buckets every k-th is named (all keep their tooltips).
        var every = Math.Max(1, (int)Math.Ceiling(buckets * LabelPitch / ChartWidth));
        for (var i = 0; i < buckets; i++)
        {
            var x = i * slot;
            var hr = (plot - 12) * (i < reference.Length ? reference[i] : 0) / max;
            var hc = (plot - 12) * (i < current.Length ? current[i] : 0) / max;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1:0.##}\" y=\"{plot - hr:0.##}\" width=\"{bar:0.##}\" height=\"{hr:0.##}\" fill=\"#90a4ae\"><title>{E(feature.Labels[i])} baseline {reference.ElementAtOrDefault(i):P1}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1 + bar:0.##}\" y=\"{plot - hc:0.##}\" width=\"{bar:0.##}\" height=\"{hc:0.##}\" fill=\"#e65100\"><title>{E(feature.Labels[i])} current {current.ElementAtOrDefault(i):P1}</title></rect>");
            if (i % every == 0)
            {
                var cx = x + (slot / 2);
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"bin-label\" x=\"{cx:0.##}\" y=\"{plot + 4}\" font-size=\"8\" text-anchor=\"end\" dominant-baseline=\"middle\" transform=\"rotate(-90 {cx:0.##} {plot + 4})\">{E(Shorten(feature.Labels[i]))}</text>");
            }
        }

        if (feature.CurrentCounts.Sum() <= 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"no-data\" x=\"{ChartWidth / 2}\" y=\"{plot / 2}\" font-size=\"12\" text-anchor=\"middle\">no data in this window</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Shorten(string label) => label.Length <= MaxLabelLength ? label : label[..(MaxLabelLength - 1)] + "\u2026";

    private static string LineChart(double[] values, string color)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"series\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{ChartHeight - 1}\" x2=\"{ChartWidth}\" y2=\"{ChartHeight - 1}\" stroke=\"#999\"/>");
        if (values.Length > 0)
        {
            var max = values.Max() <= 0 ? 1 : values.Max();
            var step = values.Length == 1 ? 0 : (double)(ChartWidth - 10) / (values.Length - 1);
            var points = string.Join(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{5 + (i * step):0.##},{ChartHeight - 6 - ((ChartHeight - 18) * v / max):0.##}")));
            svg.Append("<polyline fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"2\" points=\"").Append(points).Append("\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"12\" font-size=\"10\">max {max:G4}</text>");
        }
        else
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"no-data\" x=\"{ChartWidth / 2}\" y=\"{ChartHeight / 2}\" font-size=\"12\" text-anchor=\"middle\">no data</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double[] Proportions(IReadOnlyList<double> counts)
    {
        var total = counts.Sum();
        return total <= 0 ? counts.Select(_ => 0.0).ToArray() : counts.Select(c => c / total).ToArray();
    }

    private static string Td(double? value) =>
        "<td>" + (value is { } v ? E(v.ToString("G4", CultureInfo.InvariantCulture)) : "") + "</td>";

    private static string Td(long value) => "<td>" + value.ToString(CultureInfo.InvariantCulture) + "</td>";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
