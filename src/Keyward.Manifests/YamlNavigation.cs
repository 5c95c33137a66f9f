using System.Globalization;
using Keyward.Manifests.Yaml;

namespace Keyward.Manifests;

/// <summary>Typed navigation over YAML nodes: the lookups every rule makes, each tolerant of a missing or mistyped node.</summary>
public static class YamlNavigation
{
    public static YamlValue? Child(this YamlValue node, string key) => node is YamlMap map ? map[key] : null;

    public static string? Scalar(this YamlValue node, string key) => (node.Child(key) as YamlScalar)?.Value;

    public static SourcePosition Position(this YamlValue node) => node.Position;

    public static YamlMap? Mapping(this YamlValue node, string key) => node.Child(key) as YamlMap;

    public static YamlList? Sequence(this YamlValue node, string key) => node.Child(key) as YamlList;

    /// <summary>The mappings of a sequence with their indexes (non-mapping items are skipped, their indexes kept).</summary>
    public static IEnumerable<(int Index, YamlMap Item)> Mappings(this YamlList? sequence)
    {
        if (sequence is null)
            yield break;
        for (int i = 0; i < sequence.Count; i++)
        {
            if (sequence[i] is YamlMap map)
                yield return (i, map);
        }
    }

    /// <summary>The scalar values of a sequence (a lone scalar counts as a one-item list).</summary>
    public static IReadOnlyList<string> Strings(this YamlValue node, string key)
    {
        switch (node.Child(key))
        {
            case YamlList list:
                var values = new List<string>(list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is YamlScalar s)
                        values.Add(s.Value);
                }
                return values;
            case YamlScalar { Value.Length: > 0 } scalar:
                return [scalar.Value];
            default:
                return [];
        }
    }

    /// <summary>A boolean field as Kubernetes reads it (see <see cref="AsBool"/>); null when missing or not a boolean.</summary>
    public static bool? Bool(this YamlValue node, string key) => node.Child(key).AsBool();

    /// <summary>
    /// A node's boolean as Kubernetes reads it; null when it is not a scalar or not a boolean. kubectl and Helm decode
    /// manifests with sigs.k8s.io/yaml, that is go-yaml v2 and its YAML 1.1 resolver: a plain <c>yes</c>, <c>on</c>
    /// or <c>y</c> (and <c>no</c>, <c>off</c>, <c>n</c>), in the spellings it lists, is a bool, so <c>privileged: yes</c>
    /// makes a privileged container. Quoted, or tagged as anything but <c>!!bool</c>, those words stay text.
    /// <c>true</c> and <c>false</c> are read in any case and quoting, as they always were here: kubectl refuses
    /// <c>"true"</c> or <c>tRUE</c> for a bool field, so reading them as meant changes nothing that can be applied.
    /// </summary>
    public static bool? AsBool(this YamlValue? node)
    {
        if (node is not YamlScalar scalar)
            return null;
        var value = scalar.Value;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
            return true;
        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
            return false;
        if (scalar.Style != ScalarStyle.Plain || scalar.Tag is not (null or BoolTag))
            return null;
        return value switch
        {
            "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
            "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
            _ => null,
        };
    }

    private const string BoolTag = "tag:yaml.org,2002:bool";

    public static long? Number(this YamlValue node, string key) =>
        long.TryParse(node.Scalar(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A scalar's text, or null when absent, not a scalar, or YAML null (<c>name: null</c> is no name, not "null").</summary>
    public static string? NonNullText(this YamlValue? node) => node is YamlScalar { IsNull: false } scalar ? scalar.Value : null;

    /// <summary>The key node of <paramref name="key"/> in a mapping: where a finding about that field points.</summary>
    public static YamlScalar? KeyNode(this YamlValue node, string key)
    {
        if (node is not YamlMap map)
            return null;
        int i = map.IndexOf(key);
        return i < 0 ? null : map.KeyAt(i);
    }

    /// <summary>The entries of a mapping, in document order.</summary>
    public static IEnumerable<(YamlScalar Key, YamlValue Value)> Entries(this YamlMap? map)
    {
        if (map is null)
            yield break;
        for (int i = 0; i < map.Count; i++)
            yield return (map.KeyAt(i), map.ValueAt(i));
    }
}
