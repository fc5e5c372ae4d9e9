using ModelFunctions.Core.Monitoring.Scheduling;

namespace ModelFunctions.Core.Tests.Monitoring;

/// <summary>The schedules the server runs, on NCrontab as the Functions timer extension reads them.</summary>
public sealed class TimerScheduleTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0 */5 * * * *", "2026-03-01T10:02:30Z", "2026-03-01T10:05:00Z")]
    [InlineData("0 */5 * * * *", "2026-03-01T10:05:00Z", "2026-03-01T10:10:00Z")]
    [InlineData("0 */1 * * * *", "2026-03-01T23:59:59Z", "2026-03-02T00:00:00Z")]
    [InlineData("*/10 * * * * *", "2026-03-01T10:00:01Z", "2026-03-01T10:00:10Z")]
    [InlineData("30 15 9 * * MON-FRI", "2026-03-06T09:15:30Z", "2026-03-09T09:15:30Z")] // Friday -> Monday
    [InlineData("0 0 0 29 FEB *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 12 1,15 * *", "2026-03-02T00:00:00Z", "2026-03-15T12:00:00Z")]
    [InlineData("0 0 0 * * 0", "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z")] // 0 is Sunday
    [InlineData("5-7/2 0 0 * * *", "2026-03-02T00:00:05Z", "2026-03-02T00:00:07Z")]
    [InlineData("0 0 0 20 * FRI", "2026-03-07T00:00:00Z", "2026-03-20T00:00:00Z")] // day and day-of-week, as NCrontab reads them (cron would take either)
    public void Next_FindsTheFirstOccurrenceAfter(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), TimerSchedule.Parse(expression).Next(At(after)));
    }

    [Theory]
    [InlineData("*/5 * * * *", "0 */5 * * * *")]
    [InlineData("30 9 * * MON-FRI", "0 30 9 * * MON-FRI")]
    public void FiveFields_MeanNoSeconds_AsTheTimerExtensionReadsThem(string fiveFields, string sixFields)
    {
        var after = At("2026-03-06T09:31:10Z");

        Assert.Equal(TimerSchedule.Parse(sixFields).Next(after), TimerSchedule.Parse(fiveFields).Next(after));
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("0 61 * * * *")]
    [InlineData("0 0 25 * * *")]
    [InlineData("0 0 0 0 * *")]
    [InlineData("0 0 0 * 13 *")]
    [InlineData("0 0 0 * * 7")] // NCrontab's days of week are 0-6
    [InlineData("0 0 0 * * FUNDAY")]
    public void Parse_RejectsMalformedExpressions(string expression)
    {
        var ex = Assert.Throws<FormatException>(() => TimerSchedule.Parse(expression));

        Assert.Contains(expression, ex.Message);
        Assert.False(TimerSchedule.TryParse(expression, out _));
    }

    [Fact]
    public void Next_NeverFiringSchedule_IsNull()
    {
        Assert.Null(TimerSchedule.Parse("0 0 0 31 FEB *").Next(At("2026-01-01T00:00:00Z")));
    }
}
