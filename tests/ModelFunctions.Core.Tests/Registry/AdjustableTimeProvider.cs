namespace ModelFunctions.Core.Tests.Registry;

/// <summary>The system clock moved forward by an adjustable offset, to age dropped files without waiting.</summary>
internal sealed class AdjustableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
