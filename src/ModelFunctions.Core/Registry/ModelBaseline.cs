using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// The drift baseline of a version, computed from its reference.csv and stored at
/// <see cref="ModelStoreLayout.BaselineBlob"/>.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version number.</param>
/// <param name="Rows">Reference rows read.</param>
/// <param name="FeatureNames">Features in the order of the CSV header.</param>
/// <param name="Features">Per feature: numeric (quantile histogram, moments, sample) or categorical profile.</param>
public sealed record ModelBaseline(
    string Model,
    int Version,
    int Rows,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyDictionary<string, FeatureBaseline> Features);
