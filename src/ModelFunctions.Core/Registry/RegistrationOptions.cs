using System.ComponentModel.DataAnnotations;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// How dropped models are registered. Bound from <c>ModelFunctions:Registration</c>.
/// </summary>
public sealed class RegistrationOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:Registration";

    /// <summary>Largest model.onnx accepted, in bytes. Default 2 GiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxModelBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Folder for the private copies a registration validates; null: a folder under the system temp folder.</summary>
    public string? WorkFolder { get; set; }

    /// <summary>How long a model file must be unchanged before a scan registers it (half-written drops). Default 2 s.</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the watcher scans the store, whatever its kind. Default 10 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The work folder in effect.</summary>
    public string EffectiveWorkFolder =>
        string.IsNullOrWhiteSpace(WorkFolder) ? Path.Combine(Path.GetTempPath(), "modelfunctions-registration") : WorkFolder;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StableFor < TimeSpan.Zero || StableFor > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("StableFor must be from 0 to 1 hour.", [nameof(StableFor)]);
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("PollInterval must be from 100 ms to 1 day.", [nameof(PollInterval)]);
        }
    }
}
