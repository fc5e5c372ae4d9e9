using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Sees every inference request as it ends (monitoring capture). Called on the request path: must be fast and
/// must not throw.
/// </summary>
public interface IInferenceObserver
{
    /// <summary>A request to a model version ended.</summary>
    /// <param name="model">Model name.</param>
    /// <param name="version">Version that served it (0 when routing failed before a version was chosen).</param>
    /// <param name="inputs">The request's inputs (empty when the body could not be read).</param>
    /// <param name="outputs">The outputs, or null when the request failed.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="duration">How long it took.</param>
    void Completed(
        string model,
        int version,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor>? outputs,
        Metrics.RequestOutcome outcome,
        TimeSpan duration);
}
