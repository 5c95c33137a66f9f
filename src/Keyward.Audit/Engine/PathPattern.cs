using System.Text;
using System.Text.RegularExpressions;

namespace Keyward.Audit;

/// <summary>
/// A path pattern of <c>.keyward.yaml</c> (<c>exclude</c>, an ignore entry's <c>path</c>), read as .gitignore reads
/// its lines, since that is how pre-commit, ripgrep and gitleaks users read them: a leading <c>/</c> or a slash
/// inside anchors the pattern at the config file's folder (<c>/docs/**</c> is that folder's docs, not every docs
/// folder below it), a pattern with no slash but a trailing one matches at any depth (<c>*.env</c>, <c>fixtures/</c>),
/// <c>./</c> is the config's folder. <c>*</c> and <c>?</c> stay within a folder, <c>**</c> crosses folders,
/// <c>[abc]</c> and <c>[!abc]</c> are one character of a set. A pattern matches a file and everything under a
/// folder it matches; with a trailing <c>/</c>, only folders.
/// </summary>
public sealed class PathPattern
{
    private readonly Regex _regex;
    private readonly string _folder;
    private readonly bool _anchored;

    private PathPattern(string text, Regex regex, string folder, bool anchored)
    {
        Text = text;
        _regex = regex;
        _folder = folder;
        _anchored = anchored;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>
    /// The pattern <paramref name="pattern"/> of a config in <paramref name="folder"/>; a <see cref="FormatException"/>
    /// says why one cannot mean what it says.
    /// </summary>
    public static PathPattern Parse(string pattern, string folder)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var p = pattern.Trim();
        if (p.StartsWith('!'))
            throw new FormatException("patterns cannot be negated (.gitignore's \"!\"): list only what to leave out");
        bool anchored = false;
        while (p.StartsWith("./", StringComparison.Ordinal))
            (p, anchored) = (p[2..], true);
        if (p.StartsWith('/'))
            (p, anchored) = (p.TrimStart('/'), true);
        bool foldersOnly = p.EndsWith('/');
        p = p.TrimEnd('/');
        if (p.Length == 0 || p == ".")
            throw new FormatException("the pattern names the config's own folder, which would leave out everything");
        anchored |= p.Contains('/', StringComparison.Ordinal);
        var regex = new StringBuilder("^");
        if (!anchored)
            regex.Append("(?:.*/)?");
        AppendGlob(regex, p);
        regex.Append(foldersOnly ? "/.*$" : "(?:/.*)?$");
        return new PathPattern(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), Path.GetFullPath(folder), anchored);
    }

    private static void AppendGlob(StringBuilder regex, string glob)
    {
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool slash = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
                regex.Append("[^/]*");
            else if (c == '?')
                regex.Append("[^/]");
            else if (c == '[' && glob.IndexOf(']', i + 2) is int close and > 0)
            {
                // A set: its characters literal, "!" first for "none of them"; never a slash.
                bool negated = glob[i + 1] == '!';
                var set = glob[(negated ? i + 2 : i + 1)..close].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal);
                regex.Append(negated ? "[^/" : "(?!/)[").Append(set).Append(']');
                i = close;
            }
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
    }

    /// <summary>
    /// Whether the file shown as <paramref name="shown"/> (as reports show it: relative to
    /// <paramref name="baseDirectory"/>, where the audit runs) matches, read from the config's folder. A name in
    /// angle brackets (<c>&lt;stdin&gt;</c>) is no path and matches nothing.
    /// </summary>
    public bool IsMatch(string shown, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(shown);
        if (shown.StartsWith('<'))
            return false;
        var relative = Path.GetRelativePath(_folder, Path.GetFullPath(shown, Path.GetFullPath(baseDirectory)));
        if (Path.DirectorySeparatorChar == '\\')
            relative = relative.Replace('\\', '/');
        // Outside the config's folder an anchored pattern names nothing; one with no slash still matches names.
        if (_anchored && (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative)))
            return false;
        return _regex.IsMatch(relative);
    }

    public override string ToString() => Text;
}
