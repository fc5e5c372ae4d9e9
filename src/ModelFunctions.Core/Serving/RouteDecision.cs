using System.Globalization;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Where one request goes: the version that serves it and the batching that version runs with.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Registry version chosen.</param>
/// <param name="Batching">Effective batching settings (server defaults overridden by the model's).</param>
/// <param name="RejectNonFinite">Whether the model's settings forbid NaN and infinities in inputs.</param>
public sealed record RouteDecision(string Model, int Version, BatchingOptions Batching, bool RejectNonFinite)
{
    /// <summary>The version as the protocol writes it (<c>model_version</c>), formatted once per decision.</summary>
    public string VersionText { get; } = Version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the choice may change with the request id: true when no version was asked for and the model has
    /// a canary taking a share of traffic. A decision made before the id was known must then be made again.
    /// </summary>
    public bool DependsOnRequestId { get; init; }
}
