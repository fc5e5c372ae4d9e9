using System.Text.Json;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// What one or more instances captured for a model version over a time span: requests by outcome, latencies and
/// per-feature statistics. One instance's window is the document flushed to the monitoring container; merging
/// windows (any instances, any spans) gives exactly the statistics of the union of their requests (reservoirs:
/// a uniform sample of the union). Serializable with <see cref="RegistryJson.Options"/>.
/// </summary>
public sealed class VersionWindow
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Version number.</summary>
    public required int Version { get; init; }

    /// <summary>Start of the (earliest) window, UTC.</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>End of the (latest) window, UTC.</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>Instances whose captures are included.</summary>
    public List<string> Instances { get; init; } = [];

    /// <summary>Number of single-instance windows merged into this one.</summary>
    public int WindowCount { get; set; } = 1;

    /// <summary>Requests by outcome.</summary>
    public RequestCounts Requests { get; init; } = new();

    /// <summary>Latencies of every request.</summary>
    public LatencyHistogram Latency { get; init; } = new();

    /// <summary>What became of the rows of the successful requests.</summary>
    public RowCounts Rows { get; init; } = new();

    /// <summary>Features still learning their baseline from traffic, by name, when the window was written.</summary>
    public Dictionary<string, LearningProgress> Learning { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Per input and output feature statistics, inputs first, in capture order.</summary>
    public List<FeatureWindow> Features { get; init; } = [];

    /// <summary>
    /// Adds another window of the same version into this one (the other is left unchanged). A feature whose
    /// baseline differs between the two (it was re-learned) keeps this window's statistics and counts the other's
    /// in <see cref="SkippedFeatureMerges"/>.
    /// </summary>
    /// <param name="other">A window of the same model and version.</param>
    public void Merge(VersionWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!string.Equals(Model, other.Model, StringComparison.Ordinal) || Version != other.Version)
        {
            throw new ArgumentException("Only windows of the same model version can be merged.", nameof(other));
        }

        Start = other.Start < Start ? other.Start : Start;
        End = other.End > End ? other.End : End;
        WindowCount += other.WindowCount;
        foreach (var instance in other.Instances)
        {
            if (!Instances.Contains(instance, StringComparer.Ordinal))
            {
                Instances.Add(instance);
            }
        }

        Requests.Merge(other.Requests);
        Latency.Merge(other.Latency);
        Rows.Merge(other.Rows);
        foreach (var (name, progress) in other.Learning)
        {
            if (!Learning.TryGetValue(name, out var mine) || mine.Values < progress.Values)
            {
                Learning[name] = progress;
            }
        }
        foreach (var feature in other.Features)
        {
            var mine = Features.Find(f => string.Equals(f.Name, feature.Name, StringComparison.Ordinal));
            if (mine is null)
            {
                Features.Add(Copy(feature));
            }
            else if (mine.IsCompatibleWith(feature))
            {
                mine.Merge(feature);
            }
            else
            {
                SkippedFeatureMerges++;
            }
        }
    }

    /// <summary>Feature windows of <see cref="Merge"/>d windows that did not match this one's baseline.</summary>
    public int SkippedFeatureMerges { get; set; }

    /// <summary>The document's JSON form.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RegistryJson.Options);

    /// <summary>Reads a window document.</summary>
    /// <param name="json">What <see cref="ToJson"/> wrote.</param>
    /// <exception cref="JsonException">Malformed.</exception>
    public static VersionWindow FromJson(ReadOnlySpan<byte> json) => RegistryJson.Deserialize<VersionWindow>(json);

    private static FeatureWindow Copy(FeatureWindow feature) =>
        RegistryJson.Deserialize<FeatureWindow>(JsonSerializer.SerializeToUtf8Bytes(feature, RegistryJson.Options));
}
