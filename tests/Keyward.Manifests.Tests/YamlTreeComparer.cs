using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>Compares two streams of <see cref="YamlValue"/> trees node by node and names the first difference.</summary>
internal static class YamlTreeComparer
{
    /// <summary>Null when the trees are identical; otherwise the path of the first difference and what differs.</summary>
    public static string? FirstDifference(IReadOnlyList<YamlValue> expected, IReadOnlyList<YamlValue> actual)
    {
        if (expected.Count != actual.Count)
            return $"document count: expected {expected.Count}, got {actual.Count}";
        for (int i = 0; i < expected.Count; i++)
        {
            var difference = Compare(expected[i], actual[i], $"doc[{i}]");
            if (difference is not null)
                return difference;
        }
        return null;
    }

    private static string? Compare(YamlValue expected, YamlValue actual, string path)
    {
        if (expected.GetType() != actual.GetType())
            return $"{path}: expected a {expected.GetType().Name}, got a {actual.GetType().Name}";
        if (expected.Line != actual.Line || expected.Column != actual.Column)
            return $"{path}: expected position {expected.Line}:{expected.Column}, got {actual.Line}:{actual.Column}";
        if (expected.Tag != actual.Tag)
            return $"{path}: expected tag {expected.Tag ?? "(none)"}, got {actual.Tag ?? "(none)"}";
        switch (expected)
        {
            case YamlScalar e:
                var a = (YamlScalar)actual;
                if (e.Style != a.Style)
                    return $"{path}: expected style {e.Style}, got {a.Style}";
                if (e.Value != a.Value)
                    return $"{path}: expected value {Quote(e.Value)}, got {Quote(a.Value)}";
                return null;
            case YamlList e:
                var list = (YamlList)actual;
                if (e.Count != list.Count)
                    return $"{path}: expected {e.Count} items, got {list.Count}";
                for (int i = 0; i < e.Count; i++)
                {
                    var difference = Compare(e[i], list[i], $"{path}[{i}]");
                    if (difference is not null)
                        return difference;
                }
                return null;
            case YamlMap e:
                var map = (YamlMap)actual;
                if (e.Count != map.Count)
                    return $"{path}: expected {e.Count} entries, got {map.Count}";
                for (int i = 0; i < e.Count; i++)
                {
                    string keyPath = $"{path}.{e.KeyAt(i).Value}";
                    var difference = Compare(e.KeyAt(i), map.KeyAt(i), keyPath + "(key)") ?? Compare(e.ValueAt(i), map.ValueAt(i), keyPath);
                    if (difference is not null)
                        return difference;
                }
                return null;
            default:
                return $"{path}: unknown node type {expected.GetType().Name}";
        }
    }

    private static string Quote(string value) =>
        "\"" + (value.Length > 80 ? value[..80] + "..." : value).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
