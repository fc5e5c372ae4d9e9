using ModelFunctions.Core.Monitoring.Scheduling;

namespace ModelFunctions.Core.Tests.Monitoring;

public sealed class CronScheduleTests
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
    [InlineData("0 0 0 * * 7", "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z")] // 7 is Sunday
    [InlineData("5-7/2 0 0 * * *", "2026-03-02T00:00:05Z", "2026-03-02T00:00:07Z")]
    [InlineData("0 0 0 20 * FRI", "2026-03-07T00:00:00Z", "2026-03-13T00:00:00Z")] // day or day-of-week
    public void Next_FindsTheFirstOccurrenceAfter(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), CronSchedule.Parse(expression).Next(At(after)));
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 61 * * * *")]
    [InlineData("0 0 25 * * *")]
    [InlineData("0 0 0 0 * *")]
    [InlineData("0 0 0 * 13 *")]
    [InlineData("0 */0 * * * *")]
    [InlineData("0 5-1 * * * *")]
    [InlineData("0 0 0 * * FUNDAY")]
    public void Parse_RejectsMalformedExpressions(string expression)
    {
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
    }

    [Fact]
    public void Next_NeverFiringSchedule_IsNull()
    {
        Assert.Null(CronSchedule.Parse("0 0 0 31 FEB *").Next(At("2026-01-01T00:00:00Z")));
    }
}
