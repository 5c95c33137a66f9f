using System.Globalization;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;
using YamlDotNet.RepresentationModel;

namespace Keyward.Sops.Config;

/// <summary>One creation rule of <c>.sops.yaml</c>.</summary>
public sealed record CreationRule
{
    public string? PathRegex { get; init; }

    /// <summary>Age recipients per key group (one group for a rule's plain <c>age</c> list).</summary>
    public IReadOnlyList<IReadOnlyList<string>> AgeKeyGroups { get; init; } = [];

    /// <summary>Key types in the rule that Keyward cannot use (pgp, kms...), by name.</summary>
    public IReadOnlyList<string> ForeignKeyTypes { get; init; } = [];

    public int? ShamirThreshold { get; init; }

    public CryptRule? Rule { get; init; }

    public bool MacOnlyEncrypted { get; init; }
}

/// <summary>
/// <c>.sops.yaml</c>: found by walking up from the working directory (as sops does, up to 100 levels), creation rules
/// matched in order against the file path relative to the config's folder (first match wins), and store indents.
/// </summary>
public sealed class SopsConfig
{
    private static readonly string[] ForeignKinds = ["pgp", "kms", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri", "hckms"];

    public SopsConfig(string path) => Path = path;

    public string Path { get; }

    public List<CreationRule> Rules { get; } = [];

    public int? YamlIndent { get; set; }

    public int? JsonIndent { get; set; }

    public static string? Find(string startDirectory) => Find(startDirectory, null);

    /// <summary>
    /// As <see cref="Find(string)"/>; a <c>.sops.yml</c> passed on the way (only <c>.sops.yaml</c> is read, as in
    /// sops) is reported in <paramref name="warnings"/>, since its rules silently not applying is a surprise.
    /// </summary>
    public static string? Find(string startDirectory, ICollection<string>? warnings)
    {
        var dir = new DirectoryInfo(startDirectory);
        for (int i = 0; i < 100 && dir is not null; i++, dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, ".sops.yaml");
            if (File.Exists(candidate))
                return candidate;
            var misnamed = System.IO.Path.Combine(dir.FullName, ".sops.yml");
            if (File.Exists(misnamed))
                warnings?.Add($"ignoring \"{misnamed}\": the configuration file must be named .sops.yaml");
        }
        return null;
    }

    public static SopsConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"config file \"{path}\" does not exist", "check --config", FailureKind.Usage, e);
        }
        var config = new SopsConfig(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new KeywardException($"\"{path}\" line {e.Start.Line} column {e.Start.Column}: invalid YAML: {ParserMessages.Yaml(e.Message)}", "fix the config", FailureKind.Usage, e);
        }
        catch (Exception e) when (YamlDotNetFailure.IsPositionless(e))
        {
            var at = YamlDotNetFailure.LastParsed(text);
            throw new KeywardException($"\"{path}\" line {at.Line} column {at.Column}: invalid YAML after this point (the YAML reader cannot parse it)",
                "fix the config", FailureKind.Usage, e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return config;
        if (root.Children.TryGetValue(new YamlScalarNode("creation_rules"), out var rules) && rules is YamlSequenceNode list)
        {
            foreach (var node in list.Children.OfType<YamlMappingNode>())
                config.Rules.Add(ParseRule(node, path));
        }
        if (root.Children.TryGetValue(new YamlScalarNode("stores"), out var stores) && stores is YamlMappingNode storeMap)
        {
            config.YamlIndent = Indent(storeMap, "yaml", path);
            config.JsonIndent = Indent(storeMap, "json", path);
        }
        return config;
    }

    private static int? Indent(YamlMappingNode stores, string name, string path) =>
        stores.Children.TryGetValue(new YamlScalarNode(name), out var n) && n is YamlMappingNode m
        && m.Children.TryGetValue(new YamlScalarNode("indent"), out var i) && i is YamlScalarNode s
            ? Number(s, $"stores.{name}.indent", path) : null;

    /// <summary>A whole number the config gives, or a usage error at its line.</summary>
    private static int Number(YamlScalarNode node, string what, string path) =>
        int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new KeywardException($"\"{path}\" line {node.Start.Line} column {node.Start.Column}: {what} is \"{node.Value}\", not a whole number",
            "fix the config", FailureKind.Usage);

    private static CreationRule ParseRule(YamlMappingNode node, string path)
    {
        string? Scalar(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        var groups = new List<IReadOnlyList<string>>();
        var foreign = new List<string>();
        var age = Keys(node, "age");
        if (age.Count > 0)
            groups.Add(age);
        foreign.AddRange(ForeignKinds.Where(k => Keys(node, k).Count > 0));
        if (node.Children.TryGetValue(new YamlScalarNode("key_groups"), out var kg) && kg is YamlSequenceNode kgList)
        {
            foreach (var group in kgList.Children.OfType<YamlMappingNode>())
            {
                groups.Add(Keys(group, "age"));
                foreign.AddRange(group.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => k != "age" && Keys(group, k).Count > 0));
            }
        }
        CryptRule? rule = null;
        foreach (var option in CryptRule.Options)
        {
            if (Scalar(option) is { Length: > 0 } value)
            {
                if (rule is not null)
                    throw new KeywardException($"\"{path}\": a creation rule sets both {rule.Option} and {option}", "keep one", FailureKind.Usage);
                rule = new CryptRule(option, value);
                CryptRules.Compile(value, option);
            }
        }
        var regex = Scalar("path_regex");
        if (regex is not null)
            CryptRules.Compile(regex, "path_regex");
        return new CreationRule
        {
            PathRegex = regex,
            AgeKeyGroups = groups,
            ForeignKeyTypes = foreign.Distinct().ToList(),
            ShamirThreshold = node.Children.TryGetValue(new YamlScalarNode("shamir_threshold"), out var st) && st is YamlScalarNode t
                ? Number(t, "shamir_threshold", path) : null,
            Rule = rule,
            MacOnlyEncrypted = Scalar("mac_only_encrypted") is "true" or "True",
        };
    }

    private static List<string> Keys(YamlMappingNode node, string key)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
            return [];
        return value switch
        {
            YamlScalarNode s => (s.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => (s.Value ?? "").Trim()).Where(s => s.Length > 0).ToList(),
            _ => [],
        };
    }

    /// <summary>The first rule whose path_regex matches the file (relative to the config's folder); null when none does.</summary>
    public CreationRule? Match(string filePath)
    {
        var full = System.IO.Path.GetFullPath(filePath);
        var baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "";
        var relative = full.StartsWith(baseDir + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full[(baseDir.Length + 1)..] : full;
        foreach (var rule in Rules)
        {
            if (rule.PathRegex is null || CryptRules.Compile(rule.PathRegex, "path_regex").IsMatch(relative))
                return rule;
        }
        return null;
    }
}
