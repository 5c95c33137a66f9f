using System.Text.RegularExpressions;

namespace Keyward.Audit.Rules;

/// <summary>Which keys name a credential, and which values are only placeholders for one.</summary>
internal static partial class SensitiveNames
{
    // Right to left: only IsMatch is asked, which answers the same either way, and left to right the generator would
    // search for the words' first letters with a multi-string SearchValues, built (with the others) in the generated
    // regexes' shared static constructor: about 5 ms of every run, however few keys are looked at.
    [GeneratedRegex(@"(?i)(?:secret|passw(?:or)?d|\bpwd|_pwd|token|api[_.-]?key|apikey|credential|private[_.-]?key|access[_.-]?key|secret[_.-]?key|bearer|jwt|auth[_.-]?key|client[_.-]?secret|consumer[_.-]?key|application[_.-]?key)", RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex Sensitive();

    /// <summary>
    /// Names that contain a sensitive word but hold a reference, a path or a setting, not a credential: among them the
    /// rules a credential must follow (Argo CD's <c>passwordPattern</c>) and the OIDC claims a token should carry.
    /// </summary>
    [GeneratedRegex(@"(?i)(?:(?:name|ref|file|path|dir|url|uri|endpoint|id|length|size|ttl|expir\w*|enabled|type|mode|format|header|field|key[_.-]?name|existing\w*|policy|issuer|audience|rotation\w*|pattern|regexp?|claims?)$|^(?:existing|use)|secretname)", RegexOptions.CultureInvariant)]
    private static partial Regex NotACredential();

    /// <summary>
    /// Values that stand for a credential kept elsewhere: templates, markers, and references such as <c>$VAR</c>,
    /// <c>${VAR}</c> or Argo CD's <c>$key</c> (a key of its Secret: <c>$oidc.okta.clientSecret</c>, and with a dash,
    /// as Secret keys are usually written, <c>$slack-token</c>).
    /// </summary>
    [GeneratedRegex(@"^(?:<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_.-]*\}?|\$\(.*\)|\{\{.*\}\}|%\w+%|ENC\[AES256_GCM,.*\]|(?i:your[-_ ].*|.*[-_]here|change[-_]?me|changeit|replace[-_]?me|todo|tbd|xx+|\*+|\.+|redacted|example|dummy|none|null|true|false|secret|password|token|placeholder|-+))$", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    public static bool IsSensitive(string? key)
    {
        if (key is null)
            return false;
        // Keys repeat across thousands of objects (the YAML reader interns them): remember recent answers.
        var cache = _sensitive ??= new Dictionary<string, bool>(StringComparer.Ordinal);
        if (cache.TryGetValue(key, out bool known))
            return known;
        bool sensitive = Sensitive().IsMatch(key) && !NotACredential().IsMatch(key);
        if (cache.Count >= 4096)
            cache.Clear();
        cache[key] = sensitive;
        return sensitive;
    }

    [ThreadStatic]
    private static Dictionary<string, bool>? _sensitive;

    public static bool IsPlaceholder(string? value) => string.IsNullOrWhiteSpace(value) || Placeholder().IsMatch(value.Trim());

    /// <summary>
    /// A value written to be replaced before use: <c>&lt;base64-encoded&gt;</c>, <c>{{ .Values.token }}</c>,
    /// <c>your-api-key-here</c>, <c>REPLACE_ME</c>, <c>xxxx</c>. Narrower than <see cref="IsPlaceholder"/>: in a
    /// Secret, <c>changeme</c> or <c>password</c> is what the cluster would get, a weak value in Git, not a template.
    /// </summary>
    public static bool IsTemplateMarker(string value)
    {
        var v = value.AsSpan().Trim();
        if (v.Length >= 3 && v[0] == '<' && v[^1] == '>' && v[1..^1].IndexOfAny('<', '>') < 0)
            return true;
        if (v.Length >= 4 && v.StartsWith("{{", StringComparison.Ordinal) && v.EndsWith("}}", StringComparison.Ordinal))
            return true;
        if (v.Length >= 3 && !v.ContainsAnyExcept('x', 'X'))
            return true;
        return v.StartsWith("your-", StringComparison.OrdinalIgnoreCase) || v.StartsWith("your_", StringComparison.OrdinalIgnoreCase)
            || v.EndsWith("-here", StringComparison.OrdinalIgnoreCase) || v.EndsWith("_here", StringComparison.OrdinalIgnoreCase)
            || v.Equals("replace-me", StringComparison.OrdinalIgnoreCase) || v.Equals("replace_me", StringComparison.OrdinalIgnoreCase)
            || v.Equals("placeholder", StringComparison.OrdinalIgnoreCase) || v.Equals("redacted", StringComparison.OrdinalIgnoreCase)
            || v.Equals("todo", StringComparison.OrdinalIgnoreCase) || v.Equals("tbd", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A literal that looks like it could be a real credential (not empty, not a template or placeholder).</summary>
    public static bool IsLiteralCredential(string? value) => !IsPlaceholder(value) && value!.Trim().Length >= 6;
}
