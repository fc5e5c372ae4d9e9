namespace ModelFunctions.Core.Onnx;

/// <summary>
/// Checks the <c>location</c> of a tensor's external data, which ONNX resolves relative to the model's folder.
/// </summary>
public static class ExternalDataLocation
{
    /// <summary>
    /// Whether a location could resolve outside the model's folder, or is not a usable relative path:
    /// empty or blank, rooted (<c>/x</c>), a drive or device (<c>C:x</c>, anything with a colon), using
    /// backslashes, containing a <c>..</c> segment or a control character.
    /// </summary>
    /// <param name="location">The location as written in the model.</param>
    public static bool EscapesFolder(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return true;
        }

        // Backslashes are separators on Windows; colons mark drives, devices, streams and URIs.
        if (location.Contains('\\') || location.Contains(':') || location[0] == '/')
        {
            return true;
        }

        foreach (var c in location)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        foreach (var segment in location.Split('/'))
        {
            // Windows drops trailing dots and spaces, so "..." and ".. " also climb a level there.
            if (segment.Length >= 2 && segment.Trim(' ', '.').Length == 0 && segment.Contains(".."))
            {
                return true;
            }
        }

        return Path.IsPathRooted(location);
    }
}
