namespace ModelFunctions.Core.Registry;

/// <summary>
/// Which versions of a model are served: the production version, an optional canary with its traffic share,
/// the production versions a rollback can return to, and the history of changes (the last
/// <see cref="MaxHistory"/>). Stored at <see cref="ModelStoreLayout.StateBlob"/>.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Production">The version serving by default, or null.</param>
/// <param name="Canary">The version taking <paramref name="CanaryPercent"/> of traffic, or null.</param>
/// <param name="CanaryPercent">The canary's share of traffic (0 when there is no canary).</param>
/// <param name="PreviousProductions">Earlier production versions, oldest first; a rollback returns to the last.</param>
/// <param name="History">Changes, oldest first, at most <see cref="MaxHistory"/>.</param>
public sealed record ModelState(
    string Model,
    int? Production,
    int? Canary,
    int CanaryPercent,
    IReadOnlyList<int> PreviousProductions,
    IReadOnlyList<StateChange> History)
{
    /// <summary>How many changes the history keeps.</summary>
    public const int MaxHistory = 200;

    /// <summary>How many earlier production versions are kept for rollbacks.</summary>
    public const int MaxPreviousProductions = 50;

    /// <summary>The state of a model nothing has been recorded for.</summary>
    public static ModelState Empty(string model) => new(model, null, null, 0, [], []);

    /// <summary>This state with <paramref name="change"/> appended to the history (oldest entries dropped past the bound).</summary>
    public ModelState WithChange(StateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var history = History.Count >= MaxHistory
            ? History.Skip(History.Count - MaxHistory + 1).Append(change).ToArray()
            : History.Append(change).ToArray();
        return this with { History = history };
    }
}
