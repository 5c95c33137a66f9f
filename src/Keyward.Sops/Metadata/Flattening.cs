using System.Globalization;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Metadata;

/// <summary>
/// The flat key form dotenv and INI files use for metadata: <c>age__list_0__map_enc</c>. Newlines in values are
/// written as the two characters <c>\n</c>.
/// </summary>
public static class Flattening
{
    public static List<KeyValuePair<string, string>> Flatten(SopsMapping tree)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var entry in tree.Entries)
            Walk(entry.Value, entry.Key, result);
        return result;
    }

    private static void Walk(SopsNode node, string prefix, List<KeyValuePair<string, string>> result)
    {
        switch (node)
        {
            case SopsMapping m:
                foreach (var entry in m.Entries)
                    Walk(entry.Value, prefix + "__map_" + entry.Key, result);
                break;
            case SopsSequence s:
                int i = 0;
                foreach (var item in s.Values)
                    Walk(item, prefix + "__list_" + (i++).ToString(CultureInfo.InvariantCulture), result);
                break;
            case SopsScalar scalar:
                result.Add(new(prefix, scalar.Kind == ScalarKind.Bool ? scalar.Text.ToLowerInvariant() : scalar.Text));
                break;
        }
    }

    public static SopsMapping Unflatten(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var root = new Node();
        foreach (var (key, value) in pairs)
        {
            var node = root;
            var tokens = Tokenize(key);
            for (int i = 0; i < tokens.Count - 1; i++)
                node = node.Child(tokens[i]);
            node.Child(tokens[^1]).Value = value;
        }
        return (SopsMapping)root.ToTree();
    }

    private static List<(bool IsList, string Name)> Tokenize(string key)
    {
        var tokens = new List<(bool, string)>();
        int start = 0;
        bool isList = false;
        while (true)
        {
            int map = key.IndexOf("__map_", start, StringComparison.Ordinal);
            int list = key.IndexOf("__list_", start, StringComparison.Ordinal);
            int next = map < 0 ? list : list < 0 ? map : Math.Min(map, list);
            if (next < 0)
            {
                tokens.Add((isList, key[start..]));
                return tokens;
            }
            tokens.Add((isList, key[start..next]));
            isList = next == list;
            start = next + (isList ? "__list_".Length : "__map_".Length);
        }
    }

    private sealed class Node
    {
        public string? Value { get; set; }

        public List<((bool IsList, string Name) Key, Node Node)> Children { get; } = [];

        public Node Child((bool IsList, string Name) key)
        {
            foreach (var (k, n) in Children)
            {
                if (k == key)
                    return n;
            }
            var child = new Node();
            Children.Add((key, child));
            return child;
        }

        public SopsNode ToTree()
        {
            if (Value is not null && Children.Count == 0)
                return SopsScalar.Str(Value);
            if (Children.Count > 0 && Children.All(c => c.Key.IsList))
            {
                var seq = new SopsSequence();
                foreach (var (_, n) in Children.OrderBy(c => int.Parse(c.Key.Name, CultureInfo.InvariantCulture)))
                    seq.Items.Add(n.ToTree());
                return seq;
            }
            var map = new SopsMapping();
            foreach (var (k, n) in Children)
                map.Items.Add(new SopsEntry(k.Name, n.ToTree()));
            return map;
        }
    }
}
