using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// What the registry recorded about one version: its validation outcome, identity and signature.
/// Written once (versions are immutable) to <see cref="ModelStoreLayout.ManifestBlob"/>.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version number.</param>
/// <param name="Status">Ready or Rejected.</param>
/// <param name="FailedStage">The stage that rejected the version, or null when Ready.</param>
/// <param name="Reason">Why it was rejected, or why a Ready version was not promoted; null otherwise.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of model.onnx.</param>
/// <param name="SizeBytes">Size of model.onnx.</param>
/// <param name="Inputs">Declared inputs (empty when the model could not be loaded).</param>
/// <param name="Outputs">Declared outputs (empty when the model could not be loaded).</param>
/// <param name="Producer">The tool that produced the file, when known.</param>
/// <param name="ProducerVersion">Its version, when known.</param>
/// <param name="IrVersion">ONNX IR version, when the file could be read.</param>
/// <param name="Opsets">Operator set versions by domain ("" is the default ONNX domain).</param>
/// <param name="CustomMetadata">The model's custom metadata properties.</param>
/// <param name="LoadMilliseconds">Time ONNX Runtime took to load it, when it was loaded.</param>
/// <param name="RegisteredAt">When the registration finished.</param>
/// <param name="BreakingChanges">Incompatibilities with the production version at registration time; empty when compatible.</param>
/// <param name="HasBaseline">Whether a drift baseline was stored at <see cref="ModelStoreLayout.BaselineBlob"/>.</param>
/// <param name="SourceETag">The ETag of model.onnx when it was registered (spares re-hashing on duplicate deliveries).</param>
public sealed record VersionManifest(
    string Model,
    int Version,
    VersionStatus Status,
    RegistrationStage? FailedStage,
    string? Reason,
    string Sha256,
    long SizeBytes,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    string? Producer,
    string? ProducerVersion,
    long? IrVersion,
    IReadOnlyDictionary<string, long> Opsets,
    IReadOnlyDictionary<string, string> CustomMetadata,
    double? LoadMilliseconds,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<string> BreakingChanges,
    bool HasBaseline,
    string? SourceETag = null);
