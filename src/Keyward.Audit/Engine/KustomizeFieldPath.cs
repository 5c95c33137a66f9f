using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Follows a finding's field path (<c>spec.template.spec.containers[0].image</c>, <c>metadata.annotations.a.b/c</c>)
/// through a source document and its rendered form side by side, so a node of the rendered object can be pointed at
/// in the file it came from.
/// </summary>
internal static class KustomizeFieldPath
{
    /// <summary>
    /// The deepest node of <paramref name="source"/> along <paramref name="path"/> (at least the root), and whether it
    /// is the field itself with the value the rendered object has: false when a patch or transformer added or
    /// changed it, so the node is only the nearest one that exists.
    /// </summary>
    public static (YamlValue Node, bool Exact) Walk(YamlValue rendered, YamlValue source, string? path)
    {
        var (node, _, exact) = WalkAll(rendered, source, path);
        return (node, exact);
    }

    /// <summary>
    /// As <see cref="Walk"/>, also telling whether the node is the field itself (<c>Reached</c>) whatever its value:
    /// a patch holds only part of an object, and counts only where it holds the whole path.
    /// </summary>
    public static (YamlValue Node, bool Reached, bool Exact) WalkAll(YamlValue rendered, YamlValue source, string? path)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrEmpty(path))
            return (source, false, false);
        YamlValue? r = rendered;
        var s = source;
        var rest = path.AsSpan();
        while (rest.Length > 0)
        {
            if (rest[0] == '[')
            {
                int close = rest.IndexOf(']');
                if (close < 0 || !int.TryParse(rest[1..close], out int i) || s is not YamlList list)
                    break;
                var item = r is YamlList renderedList && i >= 0 && i < renderedList.Count ? renderedList[i] : null;
                if (Item(list, item, i) is not { } next)
                    break;
                (r, s) = (item, next);
                rest = rest[(close + 1)..];
            }
            else
            {
                if (s is not YamlMap map || LongestKey(map, rest) is not { } key)
                    break;
                (r, s) = (r?.Child(key), map[key]!);
                rest = rest[key.Length..];
            }
            if (rest.Length > 0 && rest[0] == '.')
                rest = rest[1..];
        }
        bool reached = rest.Length == 0;
        bool exact = reached && (s is not YamlScalar scalar || (r is YamlScalar same && same.Value == scalar.Value));
        return (s, reached, exact);
    }

    /// <summary>
    /// The source item for a rendered list item: by <c>name</c> when it has one (a patch may add or reorder containers,
    /// and strategic merges match them by name), else by index.
    /// </summary>
    private static YamlValue? Item(YamlList source, YamlValue? rendered, int index)
    {
        if (rendered?.Scalar("name") is { } name)
            return source.Items.FirstOrDefault(i => i.Scalar("name") == name);
        return index >= 0 && index < source.Count ? source[index] : null;
    }

    /// <summary>The longest key of the map that the path starts with, as a whole segment (keys may hold dots).</summary>
    private static string? LongestKey(YamlMap map, ReadOnlySpan<char> path)
    {
        string? best = null;
        for (int i = 0; i < map.Count; i++)
        {
            var key = map.KeyAt(i).Value;
            if (key.Length == 0 || !path.StartsWith(key, StringComparison.Ordinal) || (best is not null && key.Length <= best.Length))
                continue;
            if (path.Length == key.Length || path[key.Length] is '.' or '[')
                best = key;
        }
        return best;
    }
}
