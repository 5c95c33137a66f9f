using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Keyward.Manifests;

/// <summary>Typed navigation over YAML nodes: the lookups every rule makes, each tolerant of a missing or mistyped node.</summary>
public static class YamlNavigation
{
    public static YamlMappingNode? Mapping(this YamlNode node, string key) => node.Child(key) as YamlMappingNode;

    public static YamlSequenceNode? Sequence(this YamlNode node, string key) => node.Child(key) as YamlSequenceNode;

    /// <summary>The mappings of a sequence with their indexes (non-mapping items are skipped, their indexes kept).</summary>
    public static IEnumerable<(int Index, YamlMappingNode Item)> Mappings(this YamlSequenceNode? sequence)
    {
        if (sequence is null)
            yield break;
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode map)
                yield return (i, map);
        }
    }

    /// <summary>The scalar values of a sequence (a lone scalar counts as a one-item list).</summary>
    public static IReadOnlyList<string> Strings(this YamlNode node, string key) => node.Child(key) switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
        YamlScalarNode s when s.Value is { Length: > 0 } v => [v],
        _ => [],
    };

    /// <summary>A YAML boolean (true/false in any case); null when missing or not a boolean.</summary>
    public static bool? Bool(this YamlNode node, string key)
    {
        var value = node.Scalar(key);
        if (value is null)
            return null;
        return value.ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => null,
        };
    }

    public static long? Number(this YamlNode node, string key) =>
        long.TryParse(node.Scalar(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The key node of <paramref name="key"/> in a mapping: where a finding about that field points.</summary>
    public static YamlNode? KeyNode(this YamlNode node, string key) =>
        node is YamlMappingNode map ? map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key) : null;

    /// <summary>The string entries of a mapping (scalar values only), in document order.</summary>
    public static IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries(this YamlMappingNode? map)
    {
        if (map is null)
            yield break;
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode key)
                yield return (key, v);
        }
    }
}
