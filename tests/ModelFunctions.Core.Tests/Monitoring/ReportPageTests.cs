using ModelFunctions.Core.Monitoring.Capture;
using ModelFunctions.Core.Monitoring.Reports;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class ReportPageTests
{
    [Fact]
    public void EmptyCharts_SayNoData_AndLearningFeaturesShowTheirProgress()
    {
        var report = new MonitoringReport
        {
            Model = "m",
            Versions =
            [
                new VersionReport
                {
                    Version = 1,
                    Role = "production",
                    Features =
                    [
                        new FeatureReport
                        {
                            Name = "x",
                            Baseline = "reference",
                            Labels = ["< 0", "0 - 1", "> 1"],
                            ReferenceCounts = [0, 10, 0],
                            CurrentCounts = [0, 0, 0],
                        },
                        new FeatureReport { Name = "y", IsOutput = true, Baseline = "learning", Learning = new LearningProgress(true, 42, 1000) },
                    ],
                },
            ],
        };

        var html = ReportPage.Render("m", report);

        // Both line charts (no window yet) and the histogram without current values.
        Assert.Equal(2, html.Split(">no data</text>").Length - 1);
        Assert.Single(html.Split(">no data in this window</text>").Skip(1));
        Assert.Contains("learning baseline 42 / 1000", html, StringComparison.Ordinal);
        Assert.Equal(["&lt; 0", "0 - 1", "&gt; 1"], BinLabels(html));
    }

    private static string[] BinLabels(string html) => html.Split("<text class=\"bin-label\"").Skip(1)
        .Select(part => part[(part.IndexOf('>', StringComparison.Ordinal) + 1)..part.IndexOf("</text>", StringComparison.Ordinal)])
        .ToArray();
}
