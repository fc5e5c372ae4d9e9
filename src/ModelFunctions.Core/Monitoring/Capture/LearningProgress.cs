namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>How far a feature without a reference baseline is in learning one from traffic.</summary>
/// <param name="IsOutput">Whether the feature is an output.</param>
/// <param name="Values">Values collected so far (the most any instance has).</param>
/// <param name="Target">Values the baseline is learned from (<c>LearnedBaselineSize</c>).</param>
public sealed record LearningProgress(bool IsOutput, long Values, int Target);
