namespace ModelFunctions.Core.Onnx;

/// <summary>
/// The protobuf wire types: how a field's value is laid out after its tag.
/// </summary>
internal enum WireType
{
    /// <summary>A base-128 varint (int32, int64, uint64, bool, enum).</summary>
    Varint = 0,
    /// <summary>Eight little-endian bytes (fixed64, double).</summary>
    Fixed64 = 1,
    /// <summary>A varint length followed by that many bytes (string, bytes, messages, packed repeated fields).</summary>
    LengthDelimited = 2,
    /// <summary>Start of a deprecated group.</summary>
    StartGroup = 3,
    /// <summary>End of a deprecated group.</summary>
    EndGroup = 4,
    /// <summary>Four little-endian bytes (fixed32, float).</summary>
    Fixed32 = 5,
}
