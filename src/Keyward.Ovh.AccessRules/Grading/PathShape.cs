namespace Keyward.Ovh.Grading;

/// <summary>
/// What a rule's path can reach, as segments: for an exact path all its segments; for a pattern the complete
/// segments before the first <c>*</c> (every call the pattern allows lies under them, nothing more is known).
/// A template segment <c>{}</c> stands for one identifier (a project, a cluster, a zone).
/// </summary>
internal readonly struct PathShape
{
    private readonly string[] segments;

    public PathShape(string path, bool exact)
    {
        var body = path.StartsWith('/') ? path[1..] : path;
        var parts = body.Split('/');
        segments = exact ? parts : parts[..^1];
        Exact = exact;
    }

    public bool Exact { get; }

    public int Length => segments.Length;

    public string this[int index] => segments[index];

    /// <summary>Everything reachable lies under <paramref name="template"/> (or is it, for an exact path).</summary>
    public bool Under(params string[] template)
    {
        if (segments.Length < template.Length)
            return false;
        for (int i = 0; i < template.Length; i++)
        {
            if (template[i] == "{}" ? segments[i].Length == 0 : !string.Equals(segments[i], template[i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>An exact path naming <paramref name="template"/> itself (a collection or a resource, not something under it).</summary>
    public bool Is(params string[] template) => Exact && segments.Length == template.Length && Under(template);
}
