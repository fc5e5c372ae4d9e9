namespace ModelFunctions.Core.Onnx;

/// <summary>
/// A tensor whose data lives in a file beside the model rather than inside it.
/// </summary>
/// <param name="TensorName">The tensor's name (empty when the file does not name it).</param>
/// <param name="Location">The <c>location</c> entry of its external data, as written in the file (empty when missing).</param>
public sealed record OnnxExternalDataReference(string TensorName, string Location)
{
    /// <summary>Whether <see cref="Location"/> points outside the model's folder; see <see cref="ExternalDataLocation.EscapesFolder"/>.</summary>
    public bool EscapesFolder => ExternalDataLocation.EscapesFolder(Location);
}
