using System.Globalization;
using System.Text;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Finds the JSON6902 operation (<c>- op: add / replace, path: /spec/..., value: ...</c>) that set a field of a rendered
/// object, and the field's node inside the operation's value.
/// </summary>
internal static class KustomizeJson6902
{
    /// <summary>Whether a patch document is a list of JSON6902 operations rather than a strategic-merge object.</summary>
    public static bool IsOperations(YamlValue document) =>
        document is YamlList { Count: > 0 } list && list.Items.All(i => i is YamlMap op && op.Scalar("op") is not null && op.Scalar("path") is not null);

    /// <summary>
    /// The node the last <c>add</c> or <c>replace</c> of <paramref name="operations"/> that reaches
    /// <paramref name="fieldPath"/> gives it, and whether it holds the rendered value; null when none does. An
    /// operation reaches a field when its path is the field's or a parent's (the field is then inside its value).
    /// </summary>
    public static (YamlValue Node, bool Exact)? Find(YamlMap rendered, YamlList operations, string fieldPath)
    {
        (YamlValue Node, bool Exact)? found = null;
        foreach (var (_, op) in operations.Mappings())
        {
            if (op.Scalar("op") is not ("add" or "replace") || op.Scalar("path") is not { } pointer || op.Child("value") is not { } value
                || FieldPath(rendered, pointer) is not { Length: > 0 } set)
                continue;
            if (set == fieldPath)
            {
                bool exact = value is not YamlScalar scalar
                    || KustomizeFieldPath.WalkAll(rendered, rendered, fieldPath).Node is YamlScalar same && same.Value == scalar.Value;
                found = (value, exact);
            }
            else if (fieldPath.Length > set.Length && fieldPath.StartsWith(set, StringComparison.Ordinal) && fieldPath[set.Length] is '.' or '[')
            {
                var inside = KustomizeFieldPath.WalkAll(rendered, rendered, set).Node;
                var (node, reached, exact) = KustomizeFieldPath.WalkAll(inside, value, fieldPath[set.Length..].TrimStart('.'));
                if (reached)
                    found = (node, exact);
            }
        }
        return found;
    }

    /// <summary>
    /// A JSON pointer as a finding's field path (<c>/spec/containers/0/image</c> is <c>spec.containers[0].image</c>),
    /// read against the rendered object to tell list indexes from keys; <c>-</c> (append) is the list's last item.
    /// </summary>
    internal static string? FieldPath(YamlValue rendered, string pointer)
    {
        if (!pointer.StartsWith('/'))
            return null;
        var path = new StringBuilder();
        YamlValue? at = rendered;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            bool numeric = int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int index);
            if (at is YamlList || at is null && numeric)
            {
                if (segment == "-" && at is YamlList items)
                    index = items.Count - 1;
                else if (!numeric)
                    return null;
                path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                at = at is YamlList l && index >= 0 && index < l.Count ? l[index] : null;
            }
            else
            {
                if (path.Length > 0)
                    path.Append('.');
                path.Append(segment);
                at = at?.Child(segment);
            }
        }
        return path.ToString();
    }
}
