namespace Keyward.Audit;

/// <summary>
/// The secrets that specific rules reported in one file, for the generic rule to yield to. Looked up, not compared
/// finding by finding: a one-line JSON backup of a thousand Secrets has thousands of findings in one file.
/// </summary>
internal sealed class SpecificSecrets
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _all = [];
    private string? _joined;

    private const int ContainmentLimit = 256;

    public void Add(IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (_exact.Add(secret))
                _all.Add(secret);
        }
        _joined = null;
    }

    /// <summary>True when one of <paramref name="secrets"/> is, holds or is held by a specific rule's secret.</summary>
    public bool Overlap(IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (_exact.Contains(secret))
                return true;
            // A value inside another is looked for only in files with few secrets: over thousands (a one-line backup
            // of every Secret) the search grows with the square of them, and all it saves is a duplicate finding.
            if (_all.Count > ContainmentLimit)
                continue;
            _joined ??= string.Join('\0', _all);
            if (_joined.Contains(secret, StringComparison.Ordinal))
                return true;
            foreach (var specific in _all)
            {
                if (specific.Length < secret.Length && secret.Contains(specific, StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }
}
