using System.Globalization;
using Keyward.Core;

namespace Keyward.Sops.Tree;

/// <summary>sops's Python-style paths: <c>["a"]["b"][0]</c>. Keys are strings, indices are integers.</summary>
public static class TreePath
{
    public static List<object> Parse(string path)
    {
        var parts = new List<object>();
        int i = 0;
        while (i < path.Length)
        {
            if (path[i] != '[' || i + 1 == path.Length)
                throw Bad(path, i);
            int close = path[i + 1] is '"' or '\'' ? path.IndexOf(path[i + 1] + "]", i + 2, StringComparison.Ordinal) + 1 : path.IndexOf(']', i);
            if (close <= i)
                throw Bad(path, i);
            var inner = path[(i + 1)..close];
            if (inner.Length >= 2 && inner[0] is '"' or '\'' && inner[^1] == inner[0])
                parts.Add(inner[1..^1]);
            else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                parts.Add(index);
            else
                throw Bad(path, i);
            i = close + 1;
        }
        if (parts.Count == 0)
            throw Bad(path, 0);
        return parts;
    }

    /// <summary>
    /// The top-level <c>sops</c> key holds the file's metadata (SOPS-FORMAT §6); a value written there gives a file
    /// with two <c>sops</c> keys that no tool can read. Below the top level it is an ordinary key.
    /// </summary>
    private static void RejectReserved(IReadOnlyList<object> path)
    {
        if (path.Count > 0 && path[0] is "sops")
            throw new KeywardException($"cannot change {Format(path)}: the top-level key \"sops\" is reserved for the file's sops metadata",
                "change recipients with keyward rotate or updatekeys; a value named sops can live only below the top level", FailureKind.Usage);
    }

    private static KeywardException Bad(string path, int at) =>
        new($"invalid path {path} at character {at + 1}", "write paths as [\"key\"][\"subkey\"][0]", FailureKind.Usage);

    public static SopsNode? Get(SopsMapping root, IReadOnlyList<object> path)
    {
        SopsNode? node = root;
        foreach (var part in path)
        {
            node = (node, part) switch
            {
                (SopsMapping m, string key) => m[key],
                (SopsSequence s, int index) => s.Values.ElementAtOrDefault(index),
                _ => null,
            };
            if (node is null)
                return null;
        }
        return node;
    }

    /// <summary>Sets the value at the path, creating missing mappings; returns false when the value was already equal.</summary>
    public static void Set(SopsMapping root, IReadOnlyList<object> path, SopsNode value)
    {
        RejectReserved(path);
        SopsNode node = root;
        for (int i = 0; i < path.Count; i++)
        {
            bool last = i == path.Count - 1;
            switch (node, path[i])
            {
                case (SopsMapping m, string key):
                    if (last)
                    {
                        m.Set(key, value);
                        return;
                    }
                    var next = m[key];
                    if (next is null || next is SopsScalar)
                    {
                        next = path[i + 1] is int ? new SopsSequence() : new SopsMapping();
                        m.Set(key, next);
                    }
                    node = next;
                    break;
                case (SopsSequence s, int index):
                    var values = s.Items.Select((item, at) => (item, at)).Where(x => x.item is not SopsComment).ToList();
                    if (index > values.Count)
                        throw new KeywardException($"index {index} is past the end of a list of {values.Count}",
                            $"to append, use index {values.Count.ToString(CultureInfo.InvariantCulture)}", FailureKind.Usage);
                    if (index == values.Count)
                    {
                        s.Items.Add(last ? value : path[i + 1] is int ? new SopsSequence() : new SopsMapping());
                        values.Add((s.Items[^1], s.Items.Count - 1));
                    }
                    if (last)
                    {
                        s.Items[values[index].at] = value;
                        return;
                    }
                    node = s.Items[values[index].at];
                    break;
                default:
                    throw new KeywardException($"cannot follow {Format(path.Take(i + 1))}: the value there is not a {(path[i] is int ? "list" : "mapping")}", "check the path: [\"key\"] follows a mapping, [0] a list", FailureKind.Usage);
            }
        }
    }

    public static bool Remove(SopsMapping root, IReadOnlyList<object> path)
    {
        RejectReserved(path);
        var parent = path.Count == 1 ? root : Get(root, path.Take(path.Count - 1).ToList());
        switch (parent, path[^1])
        {
            case (SopsMapping m, string key):
                return m.Remove(key);
            case (SopsSequence s, int index):
                var item = s.Values.ElementAtOrDefault(index);
                return item is not null && s.Items.Remove(item);
            default:
                return false;
        }
    }

    public static string Format(IEnumerable<object> path) =>
        string.Concat(path.Select(p => p is int i ? $"[{i.ToString(CultureInfo.InvariantCulture)}]" : $"[\"{p}\"]"));
}
