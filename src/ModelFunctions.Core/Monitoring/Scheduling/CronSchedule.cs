using System.Globalization;

namespace ModelFunctions.Core.Monitoring.Scheduling;

/// <summary>
/// A six-field NCRONTAB expression as Azure Functions timers use it:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, e.g. <c>0 */5 * * * *</c>. Each field takes
/// <c>*</c>, a number, a range <c>a-b</c>, a step <c>*/s</c>, <c>a-b/s</c> or <c>a/s</c>, and comma-separated
/// lists of those; months also take JAN-DEC and days of week SUN-SAT (0 or 7 is Sunday). When both day and
/// day-of-week are restricted, a date matching either one matches (as in cron). Times are UTC.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _seconds;
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _dayRestricted;
    private readonly bool _dayOfWeekRestricted;

    private CronSchedule(string expression, string[] fields)
    {
        Expression = expression;
        _seconds = ParseField(fields[0], 0, 59, null, "second");
        _minutes = ParseField(fields[1], 0, 59, null, "minute");
        _hours = ParseField(fields[2], 0, 23, null, "hour");
        _days = ParseField(fields[3], 1, 31, null, "day");
        _months = ParseField(fields[4], 1, 12, MonthNames, "month");
        var daysOfWeek = ParseField(fields[5], 0, 7, DayNames, "day-of-week");
        daysOfWeek[0] |= daysOfWeek[7];
        _daysOfWeek = daysOfWeek[..7];
        _dayRestricted = fields[3] is not ("*" or "?");
        _dayOfWeekRestricted = fields[5] is not ("*" or "?");
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="FormatException">Not six valid fields; the message names the field.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"'{expression}' has {fields.Length} fields; NCRONTAB needs six: second minute hour day month day-of-week.");
        }

        return new CronSchedule(expression, fields);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when none within five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var utc = after.UtcDateTime;
        var t = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
            }
            else if (!_hours[t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_minutes[t.Minute])
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
            }
            else if (!_seconds[t.Second])
            {
                t = t.AddSeconds(1);
            }
            else
            {
                return new DateTimeOffset(t, TimeSpan.Zero);
            }
        }

        return null;
    }

    private bool DayMatches(DateTime t)
    {
        var day = _days[t.Day];
        var dayOfWeek = _daysOfWeek[(int)t.DayOfWeek];
        return (_dayRestricted, _dayOfWeekRestricted) switch
        {
            (true, true) => day || dayOfWeek,
            (true, false) => day,
            (false, true) => dayOfWeek,
            _ => true,
        };
    }

    private static bool[] ParseField(string field, int min, int max, string[]? names, string what)
    {
        var allowed = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw Invalid(field, what, min, max),
            };
            int low;
            int high;
            if (range is "*" or "?")
            {
                (low, high) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (low, high) = (Value(a, min, max, names, field, what), Value(b, min, max, names, field, what));
            }
            else
            {
                low = Value(range, min, max, names, field, what);
                high = part.Contains('/', StringComparison.Ordinal) ? max : low;
            }

            if (low > high)
            {
                throw Invalid(field, what, min, max);
            }

            for (var v = low; v <= high; v += step)
            {
                allowed[v] = true;
            }
        }

        return allowed;
    }

    private static int Value(string text, int min, int max, string[]? names, string field, string what)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var index = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return names == MonthNames ? index + 1 : index;
        }

        throw Invalid(field, what, min, max);
    }

    private static FormatException Invalid(string field, string what, int min, int max) =>
        new($"NCRONTAB {what} field '{field}' is not valid (values {min} to {max}, '*', ranges a-b, steps /n, lists).");
}
