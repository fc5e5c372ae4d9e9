using System.Globalization;

namespace ModelFunctions.Core.Monitoring;

/// <summary>
/// Where monitoring documents live in <see cref="Registry.ModelStoreLayout.MonitoringContainer"/>.
/// </summary>
public static class MonitoringLayout
{
    /// <summary>Format of a window start in blob names (UTC).</summary>
    public const string WindowStartFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary><c>{model}/{version}/windows/</c>: every window of a version.</summary>
    public static string WindowsPrefix(string model, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}/{version}/windows/");

    /// <summary><c>{model}/{version}/windows/{windowStartUtc:yyyyMMddTHHmmssZ}/{instanceId}.json</c>: one instance's window.</summary>
    public static string WindowBlob(string model, int version, DateTimeOffset windowStart, string instanceId) =>
        string.Create(CultureInfo.InvariantCulture, $"{WindowsPrefix(model, version)}{windowStart.UtcDateTime.ToString(WindowStartFormat, CultureInfo.InvariantCulture)}/{instanceId}.json");

    /// <summary>Reads the window start out of a window blob name; false for other names.</summary>
    public static bool TryParseWindowStart(string blobName, out DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        start = default;
        var parts = blobName.Split('/');
        return parts.Length == 5
            && string.Equals(parts[2], "windows", StringComparison.Ordinal)
            && DateTimeOffset.TryParseExact(parts[3], WindowStartFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
    }

    /// <summary><c>{model}/{version}/baseline.learned.json</c>: baselines learned from the first production requests.</summary>
    public static string LearnedBaselineBlob(string model, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}/{version}/baseline.learned.json");

    /// <summary><c>{model}/alerts.json</c>: alert states and history of a model.</summary>
    public static string AlertsBlob(string model) => $"{model}/alerts.json";

    /// <summary><c>{model}/report.json</c>: the latest report of a model.</summary>
    public static string ReportBlob(string model) => $"{model}/report.json";

    /// <summary><c>{schedule}.lock</c>: the lease blob that makes one replica run a schedule at a time.</summary>
    public static string LockBlob(string schedule) => $"{schedule}.lock";
}
