namespace ModelFunctions.Core.Tests.Conformance;

/// <summary>
/// The checked-in skip list: one <c>folder/case  # reason</c> per line; blank lines and lines starting with
/// <c>#</c> are comments.
/// </summary>
internal sealed class SkipList
{
    private readonly Dictionary<string, string> _reasons;

    private SkipList(Dictionary<string, string> reasons) => _reasons = reasons;

    public IReadOnlyDictionary<string, string> Reasons => _reasons;

    public static SkipList Load(string path)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var hash = text.IndexOf('#');
            var id = hash < 0 ? text : text[..hash].Trim();
            var reason = hash < 0 ? string.Empty : text[(hash + 1)..].Trim();
            if (reason.Length == 0 || id.Split('/').Length != 2 || id.Contains(' '))
            {
                throw new FormatException($"{Path.GetFileName(path)} line {lineNumber}: expected 'folder/case  # reason', got '{line}'.");
            }

            if (!reasons.TryAdd(id, reason))
            {
                throw new FormatException($"{Path.GetFileName(path)} line {lineNumber}: '{id}' is listed twice.");
            }
        }

        return new SkipList(reasons);
    }

    public bool Contains(string id) => _reasons.ContainsKey(id);
}
