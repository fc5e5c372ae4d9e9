namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// Whether a feature is compared as numbers or as categories.
/// </summary>
public enum FeatureKind
{
    /// <summary>Continuous or many-valued numbers: histogram over quantile bins plus a sorted sample.</summary>
    Numeric = 0,

    /// <summary>Few distinct values or non-numeric strings: counts per value.</summary>
    Categorical = 1,
}
