using System.Text.RegularExpressions;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Whether a kustomize patch <c>target</c> selects an object, as kustomize reads it: <c>kind</c> and <c>name</c> are
/// regular expressions matched whole (a plain name also matches the object's name with the prefixes and suffixes of
/// the levels below), <c>labelSelector</c> and <c>annotationSelector</c> are Kubernetes selectors (<c>a=b</c>,
/// <c>a!=b</c>, <c>a</c>, <c>!a</c>, <c>a in (b,c)</c>, <c>a notin (b,c)</c>), read against the rendered object.
/// </summary>
internal static class KustomizeTarget
{
    public static bool Selects(YamlMap? target, YamlMap rendered, string sourceName)
    {
        if (target is null)
            return true;
        var metadata = rendered.Mapping("metadata");
        var renderedName = metadata?.Scalar("name") ?? "";
        if (target.Scalar("kind") is { Length: > 0 } kind && !Whole(kind, rendered.Scalar("kind") ?? ""))
            return false;
        if (target.Scalar("name") is { Length: > 0 } name && !NameMatches(name, sourceName, renderedName))
            return false;
        return (target.Scalar("labelSelector") is not { } labels || SelectorMatches(labels, metadata?.Mapping("labels")))
            && (target.Scalar("annotationSelector") is not { } annotations || SelectorMatches(annotations, metadata?.Mapping("annotations")));
    }

    /// <summary>
    /// The name a patch gives is the object's name at that kustomization's level: the source name with the prefixes and
    /// suffixes of the bases below it, so it holds the source name and is held by the rendered one.
    /// </summary>
    public static bool NameFits(string? name, string sourceName, string renderedName) =>
        name is { Length: > 0 } && name.Contains(sourceName, StringComparison.Ordinal) && renderedName.Contains(name, StringComparison.Ordinal);

    private static bool NameMatches(string name, string sourceName, string renderedName) =>
        NameFits(name, sourceName, renderedName) || Whole(name, sourceName) || Whole(name, renderedName);

    /// <summary>A regular expression matched against the whole value; one that does not compile matches nothing.</summary>
    private static bool Whole(string pattern, string value)
    {
        if (pattern == value)
            return true;
        try
        {
            return Regex.IsMatch(value, "^(?:" + pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Whether every requirement of a Kubernetes selector holds for a labels (or annotations) map.</summary>
    internal static bool SelectorMatches(string selector, YamlMap? values)
    {
        foreach (var requirement in Requirements(selector))
        {
            var text = requirement.Trim();
            if (text.Length == 0)
                continue;
            if (!Holds(text, values))
                return false;
        }
        return true;
    }

    private static bool Holds(string requirement, YamlMap? values)
    {
        string? Value(string key) => (values?.Child(key.Trim()) as YamlScalar)?.Value;
        var set = Regex.Match(requirement, @"^(\S+)\s+(in|notin)\s*\((.*)\)$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (set.Success)
        {
            var members = set.Groups[3].Value.Split(',').Select(m => m.Trim()).ToHashSet(StringComparer.Ordinal);
            var actual = Value(set.Groups[1].Value);
            return set.Groups[2].Value == "in" ? actual is not null && members.Contains(actual) : actual is null || !members.Contains(actual);
        }
        int not = requirement.IndexOf("!=", StringComparison.Ordinal);
        if (not > 0)
            return Value(requirement[..not]) != requirement[(not + 2)..].Trim();
        int equals = requirement.IndexOf('=');
        if (equals > 0)
        {
            var expected = requirement[(equals + 1)..].TrimStart('=').Trim();
            return Value(requirement[..equals]) == expected;
        }
        return requirement.StartsWith('!') ? Value(requirement[1..]) is null : Value(requirement) is not null;
    }

    /// <summary>The comma-separated requirements of a selector; commas inside <c>( )</c> belong to a set.</summary>
    private static IEnumerable<string> Requirements(string selector)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(')
                depth++;
            else if (selector[i] == ')')
                depth--;
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }
        yield return selector[start..];
    }
}
