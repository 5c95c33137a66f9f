using System.Text.RegularExpressions;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>A config-file suppression: a rule (or all) for paths and/or one object, with the reason why.</summary>
public sealed record IgnoreEntry(string? Rule, PathPattern? Path, string? Resource, string? Reason);

/// <summary>
/// <c>.keyward.yaml</c>: rules on or off, severity overrides, path excludes, allowlisted values and per-object
/// ignores (for third-party charts that cannot be annotated). Read strictly: a key or a value keyward does not
/// understand is an error at its line, since a setting dropped in silence suppresses or leaves out what its author
/// did not mean to (an ignore entry whose keys were misspelt matched every finding).
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
    public List<PathPattern> Excludes { get; } = [];
    public List<Regex> Allowlist { get; } = [];
    public List<IgnoreEntry> Ignores { get; } = [];

    public static AuditConfig Empty => new();

    /// <summary>Whether an exclude pattern matches the file shown as <paramref name="shown"/> (relative to <paramref name="baseDirectory"/>).</summary>
    public bool IsExcluded(string shown, string baseDirectory)
    {
        foreach (var pattern in Excludes)
        {
            if (pattern.IsMatch(shown, baseDirectory))
                return true;
        }
        return false;
    }

    /// <summary>Reads <paramref name="text"/>, the config file <paramref name="file"/>; path patterns are anchored at its folder.</summary>
    public static AuditConfig Parse(string text, string file, RuleRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(file);
        var config = new AuditConfig();
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory();
        var (documents, error) = YamlDocuments.Read(text);
        if (error is not null)
            throw Error(file, error.Position, "not valid YAML: " + error.Message.ToLowerInvariant(), "fix the file at that position; docs/audit.md shows a .keyward.yaml");
        if (documents.Count == 0)
            return config;
        if (documents[0] is not YamlMap root)
            throw Error(file, documents[0].Position, "expected a mapping at the top level", "write settings as keys: rules, exclude, allowlist, ignore");
        foreach (var (key, value) in root.Entries())
        {
            if (value is YamlScalar { IsNull: true } && key.Value is "rules" or "exclude" or "allowlist" or "ignore")
                continue; // a section left empty
            switch (key.Value)
            {
                case "rules":
                    if (value is not YamlMap rules)
                        throw Error(file, value.Position, "\"rules\" must be a mapping of rule IDs to on, off or a severity", "for example rules: {KW602: off, KW403: low}");
                    foreach (var (rule, setting) in rules.Entries())
                        ParseRuleSetting(config, registry, file, rule, setting);
                    break;
                case "exclude":
                    foreach (var pattern in Strings(value, file, "exclude"))
                        config.Excludes.Add(Pattern(pattern, folder, file));
                    break;
                case "allowlist":
                    foreach (var pattern in Strings(value, file, "allowlist"))
                        config.Allowlist.Add(Regex(pattern, file));
                    break;
                case "ignore":
                    if (value is not YamlList seq)
                        throw Error(file, value.Position(), "\"ignore\" must be a list of {rule, path, object, reason}", "write each entry as - rule: KW209 (and path: or object: to narrow it)");
                    foreach (var item in seq.Items)
                        config.Ignores.Add(ParseIgnore(item, registry, folder, file));
                    break;
                default:
                    throw Error(file, key.Position(), $"unknown setting \"{key.Value}\"", "known settings: rules, exclude, allowlist, ignore");
            }
        }
        return config;
    }

    private const string IgnoreHint = "an ignore entry takes rule, path, object and reason, for example: - rule: KW401, object: Deployment/shop/web, reason: reviewed in OPS-12";

    /// <summary>One ignore entry: known keys with string values, naming at least a rule, a path or an object.</summary>
    private static IgnoreEntry ParseIgnore(YamlValue item, RuleRegistry registry, string folder, string file)
    {
        if (item is not YamlMap entry)
            throw Error(file, item.Position, "an ignore entry is a mapping of rule, path, object and reason, not a single value", "write - rule: KW209 (and path: or object: to narrow it)");
        var values = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        foreach (var (key, value) in entry.Entries())
        {
            if (key.Value is not ("rule" or "path" or "object" or "reason"))
                throw Error(file, key.Position, $"unknown setting \"{key.Value}\" in an ignore entry", IgnoreHint);
            if (value is not YamlScalar scalar)
                throw Error(file, value.Position, $"\"{key.Value}\" of an ignore entry must be one string", key.Value == "rule" ? "one rule per entry: repeat the entry for each rule" : IgnoreHint);
            bool empty = scalar.IsNull || scalar.Value.Trim().Length == 0;
            if (empty && key.Value != "reason")
                throw Error(file, key.Position, $"\"{key.Value}\" of an ignore entry is empty", "give it a value, or leave the key out");
            if (!empty)
                values[key.Value] = scalar;
        }
        // Suppressing every finding is never what an entry means (a typo did that); turning a rule off is rules: KW: off.
        if (!values.ContainsKey("rule") && !values.ContainsKey("path") && !values.ContainsKey("object"))
        {
            throw Error(file, entry.Position, "this ignore entry names no rule, path or object, so it would suppress every finding",
                "name what to ignore with rule: KW209, path: \"charts/**\" or object: Deployment/shop/web (one or more); to turn a rule off everywhere, use rules: {KW209: off}");
        }
        string? ruleId = null;
        if (values.TryGetValue("rule", out var rule))
            ruleId = (registry.Find(rule.Value) ?? throw Error(file, rule.Position, $"unknown rule \"{rule.Value}\"", "list the rules with keyward audit --rules")).Id;
        // An object that names no object would suppress nothing, silently.
        if (values.TryGetValue("object", out var obj) && (obj.Value.Split('/') is not { Length: 2 or 3 } parts || parts.Any(p => p.Length == 0)))
            throw Error(file, obj.Position, $"object \"{obj.Value}\" is not Kind/name or Kind/namespace/name", "name the object as the reports do, e.g. Deployment/shop/web");
        var path = values.TryGetValue("path", out var p) ? Pattern(p, folder, file) : null;
        return new IgnoreEntry(ruleId, path, obj?.Value, values.GetValueOrDefault("reason")?.Value);
    }

    private static void ParseRuleSetting(AuditConfig config, RuleRegistry registry, string file, YamlScalar ruleKey, YamlValue setting)
    {
        var rule = registry.Find(ruleKey.Value) ?? throw Error(file, ruleKey.Position(), $"unknown rule \"{ruleKey.Value}\"", "list the rules with keyward audit --rules");
        if (setting is not YamlScalar scalar)
            throw Error(file, setting.Position, $"rule {rule.Id}: expected on, off or a severity, not a list or a mapping", $"for example {rule.Id}: off, or {rule.Id}: low");
        var value = scalar.Value.Trim().ToLowerInvariant();
        if (value is "off" or "false" or "disabled")
            config.Enabled[rule.Id] = false;
        else if (value is "on" or "true" or "enabled")
            config.Enabled[rule.Id] = true;
        else if (AuditNames.ParseSeverity(value) is { } severity)
            config.SeverityOverrides[rule.Id] = severity;
        else
            throw Error(file, setting.Position(), $"rule {rule.Id}: expected on, off or a severity, not \"{value}\"", "severities are info, low, medium, high and critical");
    }

    /// <summary>A string or a list of strings, none empty.</summary>
    private static List<YamlScalar> Strings(YamlValue node, string file, string setting)
    {
        var items = node switch
        {
            YamlList seq => seq.Items,
            YamlScalar s => [s],
            _ => throw Error(file, node.Position(), $"\"{setting}\" must be a list of strings", $"write {setting}: then one - \"...\" line per entry"),
        };
        var strings = new List<YamlScalar>(items.Count);
        foreach (var item in items)
        {
            if (item is not YamlScalar scalar || scalar.IsNull || scalar.Value.Trim().Length == 0)
                throw Error(file, item.Position, $"each entry of \"{setting}\" must be a string, and not an empty one", "quote entries that YAML would read otherwise (\"yes\", \"1.0\"), and remove empty ones");
            strings.Add(scalar);
        }
        return strings;
    }

    private static PathPattern Pattern(YamlScalar pattern, string folder, string file)
    {
        try
        {
            return PathPattern.Parse(pattern.Value, folder);
        }
        catch (FormatException e)
        {
            throw Error(file, pattern.Position, $"path pattern \"{pattern.Value}\": {e.Message}", "patterns read as in .gitignore, from the config file's folder; see docs/audit.md");
        }
    }

    private static Regex Regex(YamlScalar pattern, string file)
    {
        try
        {
            return new Regex(pattern.Value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Error(file, pattern.Position, $"bad allowlist regex: {KeywardException.Plain(e)}", "allowlist entries are .NET regular expressions; escape . * + ? ( ) [ ] with a backslash to match them literally");
        }
    }

    private static KeywardException Error(string file, SourcePosition at, string message, string hint) =>
        new($"\"{file}\" line {at.Line} column {at.Column}: {message}", hint, FailureKind.Usage);
}
