namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// The feature slots of one tensor (by name, width and role) and the rows of it not yet folded into their windows.
/// Rows are buffered row-major and folded column by column (<see cref="VersionCapture"/>), so each feature's
/// statistics are touched once per buffer rather than once per request: on wide inputs the per-feature objects
/// no longer have to be brought into the CPU cache for every single value.
/// </summary>
internal sealed class SlotGroup
{
    /// <summary>Values one group buffers at most (32 KiB of doubles).</summary>
    public const int BufferValues = 4096;

    public SlotGroup(FeatureSlot[] slots)
    {
        Slots = slots;
        RowCapacity = slots.Length == 0 ? 0 : Math.Max(1, BufferValues / slots.Length);
        Pending = new double[RowCapacity * slots.Length];
    }

    public FeatureSlot[] Slots { get; }

    /// <summary>Buffered rows, <see cref="Slots"/> values each.</summary>
    public double[] Pending { get; }

    public int RowCapacity { get; }

    public int PendingRows { get; set; }

    /// <summary>The window every slot's <see cref="FeatureSlot.Current"/> belongs to; null when they must be looked up again.</summary>
    public VersionWindow? Window { get; set; }
}
