namespace ModelFunctions.Core.Serving;

/// <summary>
/// Receives what the batcher does, for metrics.
/// </summary>
internal interface IBatchObserver
{
    /// <summary>A request waited this long in the queue.</summary>
    void Queued(TimeSpan wait);

    /// <summary>One run executed <paramref name="requests"/> requests holding <paramref name="rows"/> rows.</summary>
    void Executed(int requests, long rows, TimeSpan compute);
}
