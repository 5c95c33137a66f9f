using System.Text.RegularExpressions;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>A config-file suppression: a rule (or all) for paths and/or one object, with the reason why.</summary>
public sealed record IgnoreEntry(string? Rule, Regex? Path, string? Resource, string? Reason);

/// <summary>
/// <c>.keyward.yaml</c>: rules on or off, severity overrides, path excludes, allowlisted values and per-object
/// ignores (for third-party charts that cannot be annotated).
/// <code>
/// rules:
///   KW602: off          # or on, or a severity: low
/// exclude: ["vendor/**"]
/// allowlist: ["^AKIA.*TEST$"]
/// ignore:
///   - rule: KW401
///     object: Deployment/legacy/billing
///     reason: vendor image runs as root, tracked in OPS-12
/// </code>
/// </summary>
public sealed class AuditConfig
{
    public Dictionary<string, bool> Enabled { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, Severity> SeverityOverrides { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<Regex> Excludes { get; } = [];
    public List<Regex> Allowlist { get; } = [];
    public List<IgnoreEntry> Ignores { get; } = [];

    public static AuditConfig Empty => new();

    public static AuditConfig Parse(string text, string file, RuleRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var config = new AuditConfig();
        var (documents, error) = YamlDocuments.Read(text);
        if (error is not null)
            throw Error(file, error.Position, "not valid YAML: " + error.Message.ToLowerInvariant());
        if (documents.Count == 0)
            return config;
        if (documents[0] is not YamlMap root)
            throw Error(file, documents[0].Position, "expected a mapping at the top level");
        foreach (var (key, value) in root.Entries())
        {
            switch (key.Value)
            {
                case "rules":
                    foreach (var (rule, setting) in (value as YamlMap).Entries())
                        ParseRuleSetting(config, registry, file, rule, setting);
                    break;
                case "exclude":
                    config.Excludes.AddRange(Strings(value, file).Select(Glob.ToRegex));
                    break;
                case "allowlist":
                    config.Allowlist.AddRange(Strings(value, file).Select(r => Regex(r, file, value)));
                    break;
                case "ignore":
                    if (value is not YamlList seq)
                        throw Error(file, value.Position(), "\"ignore\" must be a list of {rule, path, object, reason}");
                    foreach (var item in seq.Items.OfType<YamlMap>())
                    {
                        var rule = item.Scalar("rule");
                        if (rule is not null && registry.Find(rule) is null)
                            throw Error(file, item.Position(), $"unknown rule \"{rule}\"");
                        // An object that names no object would suppress nothing, silently.
                        if (item.Scalar("object") is { } obj && (obj.Split('/') is not { Length: 2 or 3 } parts || parts.Any(p => p.Length == 0)))
                            throw Error(file, item["object"]!.Position, $"object \"{obj}\" is not Kind/name or Kind/namespace/name", "name the object as the reports do, e.g. Deployment/shop/web");
                        config.Ignores.Add(new IgnoreEntry(rule is null ? null : registry.Find(rule)!.Id,
                            item.Scalar("path") is { } p ? Glob.ToRegex(p) : null, item.Scalar("object"), item.Scalar("reason")));
                    }
                    break;
                default:
                    throw Error(file, key.Position(), $"unknown setting \"{key.Value}\"", "known settings: rules, exclude, allowlist, ignore");
            }
        }
        return config;
    }

    private static void ParseRuleSetting(AuditConfig config, RuleRegistry registry, string file, YamlScalar ruleKey, YamlValue setting)
    {
        var rule = registry.Find(ruleKey.Value) ?? throw Error(file, ruleKey.Position(), $"unknown rule \"{ruleKey.Value}\"", "list the rules with keyward audit --rules");
        var value = (setting as YamlScalar)?.Value?.Trim().ToLowerInvariant();
        if (value is "off" or "false" or "disabled")
            config.Enabled[rule.Id] = false;
        else if (value is "on" or "true" or "enabled")
            config.Enabled[rule.Id] = true;
        else if (AuditNames.ParseSeverity(value) is { } severity)
            config.SeverityOverrides[rule.Id] = severity;
        else
            throw Error(file, setting.Position(), $"rule {rule.Id}: expected on, off or a severity, not \"{value}\"");
    }

    private static List<string> Strings(YamlValue node, string file) => node switch
    {
        YamlList seq => seq.Items.OfType<YamlScalar>().Select(s => s.Value).ToList(),
        YamlScalar s => [s.Value],
        _ => throw Error(file, node.Position(), "expected a list of strings"),
    };

    private static Regex Regex(string pattern, string file, YamlValue node)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Error(file, node.Position(), $"bad allowlist regex: {KeywardException.Plain(e)}");
        }
    }

    private static KeywardException Error(string file, SourcePosition at, string message, string? hint = null) =>
        new($"\"{file}\" line {at.Line} column {at.Column}: {message}", hint ?? "see docs/audit.md for the config format", FailureKind.Usage);
}
