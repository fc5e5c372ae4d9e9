namespace ModelFunctions.Core.Storage;

/// <summary>
/// Validation of container names, blob names and metadata shared by every store, so hostile or unportable
/// input is refused the same way whether blobs live in a folder or in Azure.
/// </summary>
internal static class BlobNames
{
    /// <summary>Longest blob name accepted, in characters (Azure's limit).</summary>
    public const int MaxBlobNameLength = 1024;

    /// <summary>Checks a container name against Azure's rules: 3 to 63 of a-z, 0-9 and '-', no leading, trailing or double '-'.</summary>
    public static void ValidateContainer(string container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Length is < 3 or > 63)
        {
            throw new ArgumentException($"Container name must be 3 to 63 characters long (got {container.Length}).", nameof(container));
        }

        foreach (var c in container)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                throw new ArgumentException("Container name may contain only lower-case letters, digits and '-'.", nameof(container));
            }
        }

        if (container[0] == '-' || container[^1] == '-' || container.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("Container name must not start or end with '-' or contain '--'.", nameof(container));
        }
    }

    /// <summary>
    /// Checks a blob name: 1 to 1024 characters, '/'-separated segments that are neither empty, '.' nor '..',
    /// no backslash, no control characters, not rooted.
    /// </summary>
    public static void ValidateBlob(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException("Blob name must not be empty.", nameof(name));
        }

        if (name.Length > MaxBlobNameLength)
        {
            throw new ArgumentException($"Blob name is {name.Length} characters long; the limit is {MaxBlobNameLength}.", nameof(name));
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException("Blob name must not contain control characters.", nameof(name));
            }

            if (c == '\\')
            {
                throw new ArgumentException("Blob name must not contain '\\'; use '/' as the separator.", nameof(name));
            }
        }

        if (name[0] == '/' || Path.IsPathRooted(name) || (name.Length >= 2 && name[1] == ':'))
        {
            throw new ArgumentException("Blob name must be relative (no leading '/' or drive letter).", nameof(name));
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                throw new ArgumentException("Blob name must not contain empty segments ('//' or a trailing '/').", nameof(name));
            }

            if (segment is "." or "..")
            {
                throw new ArgumentException("Blob name must not contain '.' or '..' segments.", nameof(name));
            }
        }
    }

    /// <summary>Checks a prefix used for listing: null or empty means all, otherwise no control characters or backslash.</summary>
    public static void ValidatePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }

        if (prefix.Length > MaxBlobNameLength || prefix.Any(c => char.IsControl(c) || c == '\\'))
        {
            throw new ArgumentException("Prefix must be at most 1024 characters without control characters or '\\'.", nameof(prefix));
        }
    }

    /// <summary>
    /// Checks metadata: names are identifiers (letters, digits, '_', not starting with a digit), values printable ASCII,
    /// as HTTP headers (and so Azure) require.
    /// </summary>
    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || char.IsAsciiDigit(key[0]) || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"Metadata name '{key}' is not an identifier (ASCII letters, digits and '_', not starting with a digit).", nameof(metadata));
            }

            if (!seen.Add(key))
            {
                throw new ArgumentException($"Metadata name '{key}' appears twice (names are case-insensitive).", nameof(metadata));
            }

            ArgumentNullException.ThrowIfNull(value, nameof(metadata));
            if (value.Any(c => c is < ' ' or > '~') || value.Trim().Length != value.Length)
            {
                throw new ArgumentException($"Metadata value of '{key}' must be printable ASCII without leading or trailing spaces.", nameof(metadata));
            }
        }
    }

    /// <summary>Checks a lease duration: whole seconds from 15 to 60, as Azure allows.</summary>
    public static int ValidateLeaseDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(15) || duration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts 15 to 60 seconds.");
        }

        return (int)Math.Round(duration.TotalSeconds);
    }

    /// <summary>A copy of metadata with case-insensitive names (empty when null).</summary>
    public static IReadOnlyDictionary<string, string> Copy(IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                copy[key] = value;
            }
        }

        return copy;
    }
}
