using System.Text;
using System.Text.RegularExpressions;

namespace Keyward.Audit;

/// <summary>Path globs: <c>**</c> crosses folders, <c>*</c> and <c>?</c> do not; a pattern may start at any folder of the path.</summary>
public static class Glob
{
    public static Regex ToRegex(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var g = glob.Trim().TrimStart('/');
        var sb = new StringBuilder("^");
        // Paths are shown relative to the current folder (possibly with ../), so a pattern matches at any folder boundary.
        sb.Append("(?:.*/)?");
        for (int i = 0; i < g.Length; i++)
        {
            char c = g[i];
            if (c == '*' && i + 1 < g.Length && g[i + 1] == '*')
            {
                bool slash = i + 2 < g.Length && g[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
                sb.Append("[^/]*");
            else if (c == '?')
                sb.Append("[^/]");
            else
                sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append(g.EndsWith('/') ? ".*$" : "(?:/.*)?$");
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }
}
