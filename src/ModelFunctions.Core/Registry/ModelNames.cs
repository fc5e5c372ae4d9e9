using System.Globalization;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// The rules for model names and version numbers.
/// </summary>
public static class ModelNames
{
    /// <summary>The longest model name allowed.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Checks a model name: lower-case letters, digits, '-', '_', '.'; 1 to 64 characters; no "..".
    /// Returns why it is invalid, or null when it is valid.
    /// </summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The model name is empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"The model name is {name.Length} characters long; at most {MaxLength} are allowed.";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return $"The model name '{name}' contains '{c}'; only lower-case letters, digits, '-', '_' and '.' are allowed.";
            }
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return $"The model name '{name}' contains '..'.";
        }

        return null;
    }

    /// <summary>
    /// Parses a version: a positive integer without sign or leading zeros that fits an int.
    /// Returns why it is invalid, or null when it is valid.
    /// </summary>
    public static string? TryParseVersion(string? text, out int version)
    {
        version = 0;
        if (string.IsNullOrEmpty(text))
        {
            return "The version is empty.";
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return $"The version '{text}' is not a positive integer.";
            }
        }

        if (text[0] == '0')
        {
            return $"The version '{text}' is zero or has a leading zero.";
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return $"The version '{text}' is too large.";
        }

        return null;
    }

    /// <summary>Checks a version number: positive. Returns why it is invalid, or null.</summary>
    public static string? ValidateVersion(int version) =>
        version > 0 ? null : $"The version {version} is not a positive integer.";
}
