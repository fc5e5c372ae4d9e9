using System.ComponentModel.DataAnnotations;

namespace ModelFunctions.Core.Monitoring.Scheduling;

/// <summary>Validates that a setting is an NCRONTAB expression (<see cref="TimerSchedule"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimerScheduleAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is string text && TimerSchedule.TryParse(text, out _))
        {
            return ValidationResult.Success;
        }

        return new ValidationResult(
            $"{validationContext.MemberName} is '{value}', which is not an NCRONTAB expression (six fields, second minute hour day month day-of-week, e.g. '0 */5 * * * *'; or five without the seconds).",
            validationContext.MemberName is { } member ? [member] : null);
    }
}
