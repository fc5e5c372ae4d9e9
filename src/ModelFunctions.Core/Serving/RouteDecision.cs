namespace ModelFunctions.Core.Serving;

/// <summary>
/// Where one request goes: the version that serves it and the batching that version runs with.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Registry version chosen.</param>
/// <param name="Batching">Effective batching settings (server defaults overridden by the model's).</param>
/// <param name="RejectNonFinite">Whether the model's settings forbid NaN and infinities in inputs.</param>
public sealed record RouteDecision(string Model, int Version, BatchingOptions Batching, bool RejectNonFinite);
