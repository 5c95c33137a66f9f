using System.Text.RegularExpressions;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>Why a finding is not reported.</summary>
public enum SuppressionKind
{
    Annotation,
    InlineComment,
    Config,
    Allowlist,
    Baseline,
}

/// <summary>
/// In-source suppressions: the <c>keyward.io/ignore</c> annotation (on the object or its pod template, with an
/// optional reason after the rule list) and <c># keyward:ignore RULE</c> comments on the line or the line above.
/// </summary>
public static partial class Suppressions
{
    public const string AnnotationKey = "keyward.io/ignore";

    [GeneratedRegex(@"keyward:ignore(?:[ \t]+(?<rules>[A-Za-z0-9_*-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_*-]+)*))?", RegexOptions.CultureInvariant)]
    private static partial Regex InlineComment();

    [GeneratedRegex(@"^[ \t]*(?<rules>[A-Za-z0-9_*-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_*-]+)*)", RegexOptions.CultureInvariant)]
    private static partial Regex RuleList();

    /// <summary>The ignore annotations of an object and of its pod template (none, one or two values).</summary>
    public static IReadOnlyList<string> AnnotationsOf(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var own = document.Root.Mapping("metadata")?.Mapping("annotations")?.Scalar(AnnotationKey);
        var template = Workloads.FindPodSpec(document)?.TemplateMetadata?.Mapping("annotations")?.Scalar(AnnotationKey);
        return (own, template) switch
        {
            (null, null) => [],
            ({ } o, null) => [o],
            (null, { } t) => [t],
            ({ } o, { } t) => [o, t],
        };
    }

    /// <summary>True when an ignore annotation on the finding's object (or its pod template) names the rule.</summary>
    public static bool ByAnnotation(IReadOnlyList<string> annotations, Rule rule)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        foreach (var value in annotations)
        {
            if (Names(value, rule))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The rule list comes first, its names joined by commas with or without spaces; the rest is the reason
    /// (<c>"KW401, KW403: runs as root by design"</c>), and a rule named there is not suppressed.
    /// </summary>
    internal static bool Names(string annotation, Rule rule)
    {
        var list = RuleList().Match(annotation).Groups["rules"].Value;
        return list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(r => r == "*" || r.Equals("all", StringComparison.OrdinalIgnoreCase)
                      || r.Equals(rule.Id, StringComparison.OrdinalIgnoreCase) || r.Equals(rule.Name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What every inline suppression comment contains.</summary>
    internal const string InlineMarker = "keyward:ignore";

    /// <summary>
    /// True when the finding's line, or the line above, has a <c>keyward:ignore</c> comment for the rule (or for all);
    /// for a finding inside a multi-line value, the line where the value starts and the one above count too.
    /// </summary>
    public static bool ByComment(SourceText? text, Finding finding, Rule rule)
    {
        if (text is null || finding is null || !text.MayHaveIgnoreComment)
            return false;
        int line = finding.Position.Line;
        int start = finding.ValueLine ?? line;
        return Commented(text, line, rule) || Commented(text, line - 1, rule)
            || (start != line && (Commented(text, start, rule) || Commented(text, start - 1, rule)));
    }

    private static bool Commented(SourceText text, int line, Rule rule)
    {
        if (!text.TryFileLine(line, out var content) || !content.Contains(InlineMarker, StringComparison.Ordinal))
            return false;
        var m = InlineComment().Match(content.ToString());
        if (!m.Success)
            return false;
        var rules = m.Groups["rules"];
        return !rules.Success || Names(rules.Value.Replace(" ", "", StringComparison.Ordinal), rule);
    }

    /// <summary>
    /// Config ignores by rule, path pattern and object (<c>Kind/namespace/name</c> or <c>Kind/name</c>); path
    /// patterns read the finding's file from <paramref name="baseDirectory"/>, the folder its name is relative to.
    /// </summary>
    public static bool ByConfig(AuditConfig config, Finding finding, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(finding);
        if (config.IsExcluded(finding.File, baseDirectory))
            return true;
        foreach (var ignore in config.Ignores)
        {
            if (ignore.Rule is not null && ignore.Rule != finding.RuleId)
                continue;
            if (ignore.Path is not null && !ignore.Path.IsMatch(finding.File, baseDirectory))
                continue;
            if (ignore.Resource is not null && !ObjectMatches(ignore.Resource, finding.Resource))
                continue;
            return true;
        }
        return false;
    }

    public static bool ByAllowlist(AuditConfig config, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(finding);
        foreach (var secret in finding.Secrets)
        {
            if (AnyMatches(config.Allowlist, secret))
                return true;
        }
        return false;
    }

    /// <summary>A loop, not <c>Any</c> with a lambda: this runs for every finding, and each lambda was an allocation.</summary>
    internal static bool AnyMatches(IReadOnlyList<System.Text.RegularExpressions.Regex> patterns, string input)
    {
        for (int i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].IsMatch(input))
                return true;
        }
        return false;
    }

    private static bool ObjectMatches(string pattern, ObjectReference? obj)
    {
        if (obj is null)
            return false;
        var parts = pattern.Split('/');
        return parts.Length switch
        {
            2 => parts[0] == obj.Kind && parts[1] == obj.Name,
            3 => parts[0] == obj.Kind && parts[1] == (obj.Namespace ?? "") && parts[2] == obj.Name,
            _ => false,
        };
    }

}
