using System.Text.RegularExpressions;
using Keyward.Core;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Profiles;

/// <summary>A parameter of a profile's paths (<c>{serviceName}</c>, <c>{kubeId}</c>, <c>{zone}</c>) and its command-line flag.</summary>
public sealed record ProfileParameter(string Name, string Flag, string Description);

/// <summary>A call a component makes, as its source code builds it; <c>{x}</c> parts that are not profile parameters are ids it learns at run time.</summary>
public sealed record ApiCall(string Method, string Path, string Purpose)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>One rule of a profile (with parameters still in braces), why it is there, and the calls it serves.</summary>
public sealed record ProfileRule(string Method, string Path, IReadOnlyList<ApiCall> Calls);

/// <summary>Rules a profile adds only on request, with the reason they are not in the default set.</summary>
public sealed record ProfileOption(string Name, string Description, IReadOnlyList<ProfileRule> Rules);

/// <summary>
/// The smallest rule set a Kubernetes component needs for the OVHcloud API calls its code makes. Every rule lists
/// the calls it serves; every call is allowed by a rule of the set (tests hold both to that).
/// </summary>
public sealed partial class OvhProfile
{
    public required string Name { get; init; }

    public required string Component { get; init; }

    /// <summary>Where the calls come from (repository and file), so the list can be re-checked.</summary>
    public required string Source { get; init; }

    public required IReadOnlyList<ProfileParameter> Parameters { get; init; }

    public required IReadOnlyList<ProfileRule> Rules { get; init; }

    public IReadOnlyList<ProfileOption> Options { get; init; } = [];

    /// <summary>Things the user should know about the set: calls left out, broader sets seen in the wild.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The default rules plus the chosen options' rules.</summary>
    public IReadOnlyList<ProfileRule> RulesWith(IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new List<ProfileRule>(Rules);
        foreach (var name in options.Distinct(StringComparer.Ordinal))
        {
            var option = Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal))
                ?? throw new KeywardException($"profile {Name} has no option \"{name}\"",
                    Options.Count == 0 ? "this profile has no options" : $"options: {string.Join(", ", Options.Select(o => o.Name))}", FailureKind.Usage);
            rules.AddRange(option.Rules);
        }
        return rules;
    }

    /// <summary>
    /// The concrete rules for <paramref name="values"/>. Missing parameters stay as <c>{name}</c> placeholders unless
    /// <paramref name="requireAll"/>; values are checked to be plain identifiers, since a <c>*</c> or <c>/</c> in an
    /// id would silently widen every rule.
    /// </summary>
    public IReadOnlyList<AccessRule> Instantiate(IReadOnlyDictionary<string, string?> values, IEnumerable<string> options, bool requireAll)
    {
        ArgumentNullException.ThrowIfNull(values);
        var resolved = Resolve(values, requireAll);
        return RulesWith(options).Select(r => new AccessRule(r.Method, Substitute(r.Path, resolved))).ToList();
    }

    /// <summary>The calls of the chosen rules with parameters filled in and run-time ids replaced by sample values.</summary>
    public IReadOnlyList<(ApiCall Call, string Method, string Path)> ConcreteCalls(IReadOnlyDictionary<string, string?> values, IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(values);
        var resolved = Resolve(values, requireAll: false);
        return RulesWith(options).SelectMany(r => r.Calls).Distinct()
            .Select(c => (c, c.Method, SampleIds().Replace(Substitute(c.Path, resolved),
                m => Parameters.Any(p => p.Name == m.Groups[1].Value) ? m.Value : "sample-" + m.Groups[1].Value)))
            .ToList();
    }

    private Dictionary<string, string> Resolve(IReadOnlyDictionary<string, string?> values, bool requireAll)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in Parameters)
        {
            values.TryGetValue(parameter.Name, out var value);
            if (string.IsNullOrEmpty(value))
            {
                if (requireAll)
                    throw new KeywardException($"profile {Name} needs {parameter.Flag} ({parameter.Description})", $"pass {parameter.Flag}; keyward ovh profiles {Name} shows what each rule is for", FailureKind.Usage);
                continue;
            }
            if (!(parameter.Name == "zone" ? ZoneName() : Identifier()).IsMatch(value))
                throw new KeywardException($"{parameter.Flag} \"{value}\" is not a valid {parameter.Description}",
                    "ids are letters, digits, '.', '_' and '-'; a '*' or '/' would widen every rule", FailureKind.Usage);
            resolved[parameter.Name] = value;
        }
        return resolved;
    }

    private static string Substitute(string path, Dictionary<string, string> values)
    {
        foreach (var (name, value) in values)
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return path;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex SampleIds();
}
