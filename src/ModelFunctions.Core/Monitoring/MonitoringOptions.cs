using System.ComponentModel.DataAnnotations;
using ModelFunctions.Core.Monitoring.Scheduling;

namespace ModelFunctions.Core.Monitoring;

/// <summary>
/// Server-wide monitoring settings, bound from <c>ModelFunctions:Monitoring</c>. Per-model thresholds live in
/// model.json's <c>monitoring</c> object (see <see cref="Checks.MonitoringSettings"/>).
/// </summary>
public sealed class MonitoringOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:Monitoring";

    /// <summary>Whether requests are captured at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Length of a capture window. Default 5 minutes; seconds are fine in tests.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WindowLength { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Share of requests whose features are captured (counts and latency always are). Default 1.0.</summary>
    [Range(0.0, 1.0)]
    public double SamplingRate { get; set; } = 1.0;

    /// <summary>
    /// Smallest uniform sample kept per numeric feature and window, for the KS test and the Wasserstein distance.
    /// Default 256. Models with few features get more, up to <see cref="MaxReservoirCapacity"/>, within
    /// <see cref="ReservoirValuesPerVersion"/>.
    /// </summary>
    [Range(16, 100_000)]
    public int ReservoirCapacity { get; set; } = 256;

    /// <summary>Largest sample kept per numeric feature and window. Default 16,384.</summary>
    [Range(16, 1_000_000)]
    public int MaxReservoirCapacity { get; set; } = 16_384;

    /// <summary>
    /// Values the samples of one version's window may hold together: each feature's sample is this over the
    /// version's feature count (inputs and outputs), between <see cref="ReservoirCapacity"/> and
    /// <see cref="MaxReservoirCapacity"/>. Default 65,536 (1 MiB of values and keys per window): 256 per feature for
    /// a model of 256 features, 8,192 for one of 8.
    /// </summary>
    [Range(16, 100_000_000)]
    public int ReservoirValuesPerVersion { get; set; } = 65_536;

    /// <summary>Most features (inputs and outputs together) captured per version; the rest are ignored. Default 256.</summary>
    [Range(1, 100_000)]
    public int MaxFeatures { get; set; } = 256;

    /// <summary>Closed windows kept in memory while the store cannot be written; older ones are dropped. Default 12.</summary>
    [Range(1, 10_000)]
    public int MaxPendingWindows { get; set; } = 12;

    /// <summary>How often closed windows are written to the store. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>This instance's name in window blob names. Default: machine name, process id and a random suffix.</summary>
    public string? InstanceId { get; set; }

    /// <summary>How far back the checks merge windows. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Features without a reference baseline (every output, and every input of a version without reference.csv)
    /// take the first this many captured values as their baseline. Default 1000.
    /// </summary>
    [Range(10, 1_000_000)]
    public int LearnedBaselineSize { get; set; } = 1000;

    /// <summary>
    /// Values (inputs and outputs of requests together) a version holds while its baselines load, so the rows of
    /// its first requests are captured once they are in; beyond it rows are dropped and counted. Default 1,048,576
    /// (4 MiB of FP32 values).
    /// </summary>
    [Range(0, 100_000_000)]
    public int HeldValuesWhileLoading { get; set; } = 1_048_576;

    /// <summary>Webhook that receives alert transitions as JSON; off when null.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Secret of the webhook's HMAC-SHA256 signature (header <c>X-ModelFunctions-Signature</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Timeout of one webhook attempt. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Webhook attempts per event (first try included). Default 3.</summary>
    [Range(1, 10)]
    public int WebhookAttempts { get; set; } = 3;

    /// <summary>Delay before the second webhook attempt; doubled for each further one. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan WebhookBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Six-field NCRONTAB schedule of the drift checks on the self-hosted server. Default every 5 minutes.</summary>
    [TimerSchedule]
    public string DriftSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>Six-field NCRONTAB schedule of the health checks on the self-hosted server. Default every minute.</summary>
    [TimerSchedule]
    public string HealthSchedule { get; set; } = "0 */1 * * * *";

    /// <summary>Whether the self-hosted server runs the schedules. Default true.</summary>
    public bool RunSchedules { get; set; } = true;
}
