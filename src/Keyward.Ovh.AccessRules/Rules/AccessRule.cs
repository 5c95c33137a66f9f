using Keyward.Core;

namespace Keyward.Ovh.Rules;

/// <summary>
/// One access rule of an OVHcloud consumer key: an HTTP method and a path pattern (<c>auth.AccessRule</c>).
/// The method must match exactly; <c>*</c> in the path matches any run of characters, <c>/</c> included; the
/// query string of a call is not part of the match. <c>/x/*</c> therefore does not cover <c>/x</c>.
/// </summary>
public sealed record AccessRule
{
    /// <summary>The methods the API accepts in a rule (<c>http.MethodEnum</c>); there is no method wildcard.</summary>
    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "DELETE"];

    public AccessRule(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        Method = method;
        Path = path;
    }

    public string Method { get; }

    public string Path { get; }

    /// <summary>True when the path has a <c>*</c>: the rule covers many calls rather than one.</summary>
    public bool HasWildcard => Path.Contains('*', StringComparison.Ordinal);

    /// <summary>The part of the path before the first <c>*</c>: every call the rule allows starts with it.</summary>
    public string LiteralPrefix => HasWildcard ? Path[..Path.IndexOf('*', StringComparison.Ordinal)] : Path;

    /// <summary>Builds a rule, checking the method and the path the way the API would; <paramref name="where"/> names the source for errors.</summary>
    public static AccessRule Create(string method, string path, string where)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var upper = method.Trim().ToUpperInvariant();
        if (!Methods.Contains(upper))
            throw new KeywardException($"{where}: \"{method}\" is not a method an access rule can have",
                "use GET, POST, PUT or DELETE; there is no method wildcard, list each method", FailureKind.Usage);
        var trimmed = path.Trim();
        if (trimmed.Length == 0 || trimmed[0] != '/')
            throw new KeywardException($"{where}: the path \"{path}\" does not start with \"/\"", "paths look like /cloud/project/{serviceName}/kube/{kubeId}", FailureKind.Usage);
        if (trimmed.Contains('?', StringComparison.Ordinal))
            throw new KeywardException($"{where}: the path \"{path}\" has a query string",
                "the query string is not part of an access rule: drop it, the rule then covers the call with any query", FailureKind.Usage);
        foreach (char c in trimmed)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                throw new KeywardException($"{where}: the path \"{path}\" contains a space or control character", "write the path as the API documents it, e.g. /cloud/project/{serviceName}/kube/{kubeId}/*", FailureKind.Usage);
        }
        if (UnboundedSegment(trimmed) is { } segment)
            throw new KeywardException($"{where}: the path \"{path}\" has the segment \"{segment}\"",
                "'.', '..' and their %2e forms, and an encoded '/' (%2f), reach what a server that normalises the path makes of them; "
                + "keyward cannot grade that, so write the path without them", FailureKind.Usage);
        return new AccessRule(upper, trimmed);
    }

    /// <summary>
    /// The first segment whose meaning depends on how the path is normalised: <c>.</c> or <c>..</c>, spelled with
    /// <c>%2e</c> or not (also double-encoded, <c>%252e</c>), or any segment holding an encoded <c>/</c> or <c>\</c>.
    /// Whether the API or a layer in front of it resolves them is unknown; if one does, <c>/kube/K/../../*</c> reaches
    /// the whole account while its text says one cluster. Refusing them is safer than guessing either way.
    /// </summary>
    public static string? UnboundedSegment(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var segment in path.Split('/'))
        {
            var decoded = segment;
            // Decode %25 first so that %252e (which one more decoding turns into '.') is seen as what it becomes.
            for (int round = 0; round < 3 && decoded.Contains('%', StringComparison.Ordinal); round++)
                decoded = decoded.Replace("%25", "%", StringComparison.Ordinal).Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or ".."
                || decoded.Contains("%2f", StringComparison.OrdinalIgnoreCase) || decoded.Contains("%5c", StringComparison.OrdinalIgnoreCase) || decoded.Contains('\\', StringComparison.Ordinal))
                return segment;
        }
        return null;
    }

    /// <summary>Whether this rule allows <paramref name="method"/> on <paramref name="pathAndQuery"/> (the query is ignored).</summary>
    public bool Allows(string method, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (!string.Equals(method, Method, StringComparison.Ordinal))
            return false;
        int query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? pathAndQuery.AsSpan() : pathAndQuery.AsSpan(0, query);
        return RuleGlob.Matches(Path, path);
    }

    /// <summary>Whether every call this rule allows is also allowed by <paramref name="wider"/>.</summary>
    public bool IsCoveredBy(AccessRule wider)
    {
        ArgumentNullException.ThrowIfNull(wider);
        return string.Equals(Method, wider.Method, StringComparison.Ordinal) && RuleGlob.Covers(wider.Path, Path);
    }

    /// <summary>The form used on the command line and in tables: <c>GET /path</c>.</summary>
    public override string ToString() => $"{Method} {Path}";
}
