using System.Globalization;
using Keyward.Core;
using Keyward.Sops.Tree;
using Keyward.Sops.Values;

namespace Keyward.Sops.Metadata;

/// <summary>
/// Reads the <c>sops</c> metadata from a tree in every layout sops 3.x wrote (struct order with empty
/// <c>kms: []</c> lists, <c>null</c> lists in JSON, alphabetical 3.13 order, flat or <c>key_groups</c>) and writes the
/// 3.13 layout: alphabetical keys, no empty lists.
/// </summary>
public static class MetadataCodec
{
    private static readonly string[] ForeignKinds = ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"];

    public static SopsMetadata Read(SopsMapping tree, string source)
    {
        var meta = new SopsMetadata();
        var flat = new KeyGroup();
        foreach (var entry in tree.Entries)
        {
            switch (entry.Key)
            {
                case "age":
                    flat.Age.AddRange(ReadAge(entry.Value, source));
                    break;
                case "key_groups":
                    if (entry.Value is SopsSequence groups)
                    {
                        foreach (var g in groups.Values)
                            meta.KeyGroups.Add(ReadGroup(g as SopsMapping ?? throw Bad(source, "key_groups entries must be mappings"), source));
                        meta.WriteKeyGroups = true;
                    }
                    break;
                case "shamir_threshold":
                    meta.ShamirThreshold = ScalarText(entry.Value) is { Length: > 0 } t
                        ? int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var threshold) ? threshold
                            : throw Bad(source, $"shamir_threshold \"{t}\" is not a number")
                        : null;
                    break;
                case "lastmodified":
                    meta.LastModified = entry.Value is SopsScalar lm ? lm.Source ?? lm.Text : "";
                    break;
                case "mac":
                    meta.Mac = ScalarText(entry.Value);
                    break;
                case "version":
                    meta.Version = entry.Value is SopsScalar v ? v.Source ?? v.Text : "";
                    break;
                case "mac_only_encrypted":
                    meta.MacOnlyEncrypted = ScalarText(entry.Value) is "True" or "true";
                    break;
                case var k when CryptRule.Options.Contains(k):
                    var value = ScalarText(entry.Value);
                    if (string.IsNullOrEmpty(value))
                        break;
                    if (meta.Rule is not null)
                        throw Bad(source, $"the metadata sets both {meta.Rule.Option} and {k}; sops allows one");
                    meta.Rule = new CryptRule(k, value);
                    break;
                case var k when ForeignKinds.Contains(k):
                    if (entry.Value is SopsSequence seq && seq.Values.Any())
                        flat.Foreign.Add(new(k, seq));
                    break;
                default:
                    meta.Unknown.Add(entry);
                    break;
            }
        }
        if (flat.Age.Count > 0 || flat.Foreign.Count > 0)
            meta.KeyGroups.Insert(0, flat);
        if (meta.KeyGroups.Count == 0)
            throw Bad(source, "the metadata lists no keys");
        if (meta.LastModified.Length == 0)
            throw Bad(source, "the metadata has no lastmodified");
        return meta;
    }

    private static KeyGroup ReadGroup(SopsMapping tree, string source)
    {
        var group = new KeyGroup();
        foreach (var entry in tree.Entries)
        {
            if (entry.Key == "age")
                group.Age.AddRange(ReadAge(entry.Value, source));
            else if (entry.Value is SopsSequence seq && seq.Values.Any())
                group.Foreign.Add(new(entry.Key, seq));
        }
        return group;
    }

    private static IEnumerable<AgeKeyEntry> ReadAge(SopsNode node, string source)
    {
        if (node is not SopsSequence seq)
            yield break;
        foreach (var item in seq.Values)
        {
            if (item is not SopsMapping m || ScalarText(m["recipient"]) is not { } recipient || ScalarText(m["enc"]) is not { } enc)
                throw Bad(source, "an age key entry needs recipient and enc");
            yield return new AgeKeyEntry(recipient, enc);
        }
    }

    private static string? ScalarText(SopsNode? node) => node switch
    {
        SopsScalar { Kind: ScalarKind.Null } => null,
        SopsScalar s => s.Text,
        _ => null,
    };

    private static KeywardException Bad(string source, string why) =>
        new($"{source}: invalid sops metadata: {why}", "the file's sops section was damaged; restore it from version control", FailureKind.Failed);

    /// <summary>The metadata as a tree in sops 3.13's layout.</summary>
    public static SopsMapping Write(SopsMetadata meta)
    {
        var entries = new List<SopsEntry>();
        if (meta.WriteKeyGroups || meta.KeyGroups.Count > 1)
        {
            var groups = new SopsSequence();
            foreach (var group in meta.KeyGroups)
                groups.Items.Add(WriteGroup(group));
            entries.Add(new SopsEntry("key_groups", groups));
        }
        else if (meta.KeyGroups.Count == 1)
        {
            entries.AddRange(WriteGroup(meta.KeyGroups[0]).Entries);
        }
        if (meta.ShamirThreshold is { } threshold)
            entries.Add(new SopsEntry("shamir_threshold", new SopsScalar(ScalarKind.Int, threshold.ToString(CultureInfo.InvariantCulture))));
        entries.Add(new SopsEntry("lastmodified", QuotedString(meta.LastModified)));
        if (meta.Mac is not null)
            entries.Add(new SopsEntry("mac", SopsScalar.Str(meta.Mac)));
        if (meta.MacOnlyEncrypted)
            entries.Add(new SopsEntry("mac_only_encrypted", new SopsScalar(ScalarKind.Bool, "True")));
        var rule = meta.EffectiveRule;
        entries.Add(new SopsEntry(rule.Option, QuotedString(rule.Value)));
        entries.Add(new SopsEntry("version", QuotedString(meta.Version)));
        entries.AddRange(meta.Unknown);
        var tree = new SopsMapping();
        tree.Items.AddRange(entries.OrderBy(e => e.Key, StringComparer.Ordinal));
        return tree;
    }

    private static SopsMapping WriteGroup(KeyGroup group)
    {
        var m = new SopsMapping();
        if (group.Age.Count > 0)
        {
            var age = new SopsSequence();
            foreach (var key in group.Age)
            {
                var e = new SopsMapping();
                e.Items.Add(new SopsEntry("recipient", SopsScalar.Str(key.Recipient)));
                e.Items.Add(new SopsEntry("enc", new SopsScalar(ScalarKind.Str, key.Enc, ScalarStyle.Literal)));
                age.Items.Add(e);
            }
            m.Items.Add(new SopsEntry("age", age));
        }
        foreach (var (kind, node) in group.Foreign)
            m.Items.Add(new SopsEntry(kind, node));
        m.Items.Sort((a, b) => string.CompareOrdinal(((SopsEntry)a).Key, ((SopsEntry)b).Key));
        return m;
    }

    /// <summary>A string that stays a string in every store (YAML would read a bare timestamp or version as another type).</summary>
    private static SopsScalar QuotedString(string text) =>
        new(ScalarKind.Str, text, YamlScalars.CanBePlain(text) ? ScalarStyle.Any : ScalarStyle.DoubleQuoted);

    /// <summary>The AAD the MAC is encrypted with: <c>lastmodified</c> re-formatted as Go's RFC 3339.</summary>
    public static string MacAad(string lastModified, string source)
    {
        if (DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return GoFormat.FormatRfc3339(time);
        throw Bad(source, $"lastmodified \"{lastModified}\" is not an RFC 3339 time");
    }
}
