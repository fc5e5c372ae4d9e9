using System.ComponentModel.DataAnnotations;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Bounds on what a request may ask of the protocol readers.
/// </summary>
public sealed class ProtocolLimits
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:Limits";

    /// <summary>Largest request body in bytes, JSON and binary data together. Default 64 MiB.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Most elements one tensor may have. Default 16M (16,777,216).</summary>
    [Range(1, long.MaxValue)]
    public long MaxElementsPerTensor { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most inputs one request may carry. Default 64.</summary>
    [Range(1, int.MaxValue)]
    public int MaxInputs { get; set; } = 64;

    /// <summary>Deepest nesting of tensor data arrays, and highest tensor rank. Default 32.</summary>
    [Range(1, 256)]
    public int MaxNestingDepth { get; set; } = 32;

    /// <summary>Whether NaN and infinite floating-point inputs are refused. Default false.</summary>
    public bool RejectNonFinite { get; set; }
}
