namespace ModelFunctions.Bench.Load;

/// <summary>How the tensor travels.</summary>
internal enum BodyKind
{
    /// <summary>V2 JSON: <c>data</c> as a flat number array.</summary>
    Json,

    /// <summary>Triton binary extension: JSON header, raw little-endian tail, binary outputs requested.</summary>
    Binary,
}
