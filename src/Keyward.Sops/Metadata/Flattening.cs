using System.Globalization;
using Keyward.Core;
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

    /// <summary>
    /// The metadata tree of flat <c>sops_</c> keys (without the prefix), each with the line it is on. A key that does
    /// not fit the others (a list index that is not a number, a value and fields under one name, a list and a
    /// mapping under one name) is an error naming the file, the line and the key: the metadata is damaged.
    /// </summary>
    public static SopsMapping Unflatten(IEnumerable<(string Key, string Value, int Line)> pairs, string source)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var root = new Node();
        foreach (var (key, value, line) in pairs)
        {
            Exception Damaged(string what) => new KeywardException(
                $"\"{source}\" line {line}: sops metadata key \"sops_{key}\" {what}",
                "the file's sops metadata is damaged; restore the file from version control", FailureKind.Usage);
            var node = root;
            var tokens = Tokenize(key);
            foreach (var token in tokens)
            {
                if (token.IsList && !IsListIndex(token.Name))
                    throw Damaged($"has the list index \"{token.Name}\", which is not a number");
                if (node.Value is not null)
                    throw Damaged("puts a field under a name that holds a value");
                if (node.Children.Count > 0 && node.Children[0].Key.IsList != token.IsList)
                    throw Damaged("mixes list items and mapping fields under one name");
                node = node.Child(token);
            }
            if (node.Value is not null || node.Children.Count > 0)
                throw Damaged("is given twice, or holds a value where other keys have fields");
            node.Value = value;
        }
        return (SopsMapping)root.ToTree();
    }

    /// <summary>Digits only, few enough for an int: what <c>__list_N</c> holds.</summary>
    private static bool IsListIndex(string name) => name.Length is > 0 and <= 9 && name.All(char.IsAsciiDigit);

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
