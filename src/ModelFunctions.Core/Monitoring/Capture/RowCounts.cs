namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// What became of the rows (first-dimension entries) of a window's successful requests; serializable with
/// System.Text.Json and merged by adding. Seen = Captured + NotSampled + DroppedWhileLoading.
/// </summary>
public sealed class RowCounts
{
    /// <summary>Rows of successful requests.</summary>
    public long Seen { get; set; }

    /// <summary>Rows whose values went into the feature statistics (or into a baseline being learned).</summary>
    public long Captured { get; set; }

    /// <summary>Rows of requests left out by <c>SamplingRate</c>.</summary>
    public long NotSampled { get; set; }

    /// <summary>
    /// Rows that arrived while the version's baselines were loading and found the holding buffer full
    /// (<c>HeldValuesWhileLoading</c>).
    /// </summary>
    public long DroppedWhileLoading { get; set; }

    /// <summary>Adds another window's counts.</summary>
    /// <param name="other">The counts to add.</param>
    public void Merge(RowCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Seen += other.Seen;
        Captured += other.Captured;
        NotSampled += other.NotSampled;
        DroppedWhileLoading += other.DroppedWhileLoading;
    }
}
