using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Onnx;

namespace ModelFunctions.Core.Registry;

/// <summary>What a registration has learnt so far about a version, turned into a manifest at the end.</summary>
internal sealed class ManifestDraft(string model, int version, long sizeBytes, string sourceETag)
{
    public string Model { get; } = model;

    public int Version { get; } = version;

    public long SizeBytes { get; set; } = sizeBytes;

    public string SourceETag { get; set; } = sourceETag;

    public string Sha256 { get; set; } = string.Empty;

    public IReadOnlyList<TensorSpec> Inputs { get; set; } = [];

    public IReadOnlyList<TensorSpec> Outputs { get; set; } = [];

    public string? Producer { get; private set; }

    public string? ProducerVersion { get; private set; }

    public long? IrVersion { get; private set; }

    public IReadOnlyDictionary<string, long> Opsets { get; private set; } = new Dictionary<string, long>();

    public IReadOnlyDictionary<string, string> CustomMetadata { get; private set; } = new Dictionary<string, string>();

    public double? LoadMilliseconds { get; set; }

    public IReadOnlyList<string> BreakingChanges { get; set; } = [];

    public bool HasBaseline { get; set; }

    public string? Reason { get; set; }

    public void Describe(OnnxFileInfo info)
    {
        Producer = info.ProducerName;
        ProducerVersion = info.ProducerVersion;
        IrVersion = info.IrVersion;
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var opset in info.OpsetImports)
        {
            opsets[opset.Domain] = opset.Version;
        }

        Opsets = opsets;
        CustomMetadata = new SortedDictionary<string, string>(info.MetadataProps.ToDictionary(), StringComparer.Ordinal);
    }

    public VersionManifest Build(VersionStatus status, RegistrationStage? failedStage, DateTimeOffset registeredAt) => new(
        Model,
        Version,
        status,
        failedStage,
        Reason,
        Sha256,
        SizeBytes,
        Inputs,
        Outputs,
        Producer,
        ProducerVersion,
        IrVersion,
        Opsets,
        CustomMetadata,
        LoadMilliseconds,
        registeredAt,
        BreakingChanges,
        HasBaseline,
        SourceETag);
}
