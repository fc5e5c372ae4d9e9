using System.Diagnostics.CodeAnalysis;
using NCrontab;

namespace ModelFunctions.Core.Monitoring.Scheduling;

/// <summary>
/// An NCRONTAB expression as Azure Functions timer triggers take it: six fields
/// (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, e.g. <c>0 */5 * * * *</c>), or five without the seconds.
/// Parsed and evaluated by NCrontab, the library the Functions timer extension itself uses, with the same rule for
/// telling the two forms apart, so a schedule means the same on the self-hosted server as in Azure. Times are UTC
/// (the Functions default on Linux; the server does not read <c>WEBSITE_TIME_ZONE</c>).
/// </summary>
public sealed class TimerSchedule
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };
    private static readonly CrontabSchedule.ParseOptions WithoutSeconds = new() { IncludingSeconds = false };
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(5 * 366);
    private readonly CrontabSchedule _schedule;

    private TimerSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        _schedule = schedule;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="FormatException">Not an NCRONTAB expression; the message says why.</exception>
    public static TimerSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            return new TimerSchedule(expression, CrontabSchedule.Parse(expression, OptionsFor(expression)));
        }
        catch (CrontabException ex)
        {
            throw new FormatException($"'{expression}' is not an NCRONTAB expression (second minute hour day month day-of-week): {ex.Message}", ex);
        }
    }

    /// <summary>Parses an expression; false when it is not an NCRONTAB expression.</summary>
    public static bool TryParse(string? expression, [NotNullWhen(true)] out TimerSchedule? schedule)
    {
        var parsed = expression is null ? null : CrontabSchedule.TryParse(expression, OptionsFor(expression));
        schedule = parsed is null ? null : new TimerSchedule(expression!, parsed);
        return schedule is not null;
    }

    // The timer extension's rule: exactly five fields means no seconds; anything else is read with seconds.
    private static CrontabSchedule.ParseOptions OptionsFor(string expression) =>
        expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? WithoutSeconds : WithSeconds;

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when none within five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var start = after.UtcDateTime;
        var end = start + Horizon;
        var next = _schedule.GetNextOccurrence(start, end);
        return next >= end ? null : new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
    }
}
