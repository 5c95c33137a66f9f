using Keyward.Sops.Tree;

namespace Keyward.Sops.Tests;

/// <summary>A leaf of a decrypted tree in walk (MAC) order, with the AAD sops would use for it.</summary>
public sealed record Leaf(string Aad, ScalarKind Kind, string Text);

/// <summary>Flattens decrypted trees for comparison with the reference decryptor's reports and with originals.</summary>
public static class TreeLeaves
{
    public static List<Leaf> Of(IEnumerable<SopsDocument> documents)
    {
        var leaves = new List<Leaf>();
        foreach (var doc in documents)
            Walk(doc.Root, "", leaves);
        return leaves;
    }

    public static List<string> Comments(IEnumerable<SopsDocument> documents)
    {
        var comments = new List<string>();
        foreach (var doc in documents)
            CollectComments(doc.Root, comments);
        return comments;
    }

    private static void Walk(SopsNode node, string aad, List<Leaf> leaves)
    {
        switch (node)
        {
            case SopsMapping m:
                foreach (var e in m.Entries)
                    Walk(e.Value, aad + e.Key + ":", leaves);
                break;
            case SopsSequence s:
                foreach (var item in s.Values)
                    Walk(item, aad, leaves);
                break;
            case SopsScalar { Kind: ScalarKind.Null }:
                break;
            case SopsScalar scalar:
                leaves.Add(new Leaf(aad, scalar.Kind, scalar.Text));
                break;
        }
    }

    private static void CollectComments(SopsNode node, List<string> comments)
    {
        switch (node)
        {
            case SopsMapping m:
                foreach (var item in m.Items)
                {
                    if (item is SopsComment c)
                        comments.Add(c.Text);
                    else if (item is SopsEntry e)
                        CollectComments(e.Value, comments);
                }
                break;
            case SopsSequence s:
                foreach (var item in s.Items)
                {
                    if (item is SopsComment c)
                        comments.Add(c.Text);
                    else
                        CollectComments(item, comments);
                }
                break;
        }
    }

    /// <summary>A canonical text of the whole tree (order, comments, kinds, values) for equality checks.</summary>
    public static string Dump(IEnumerable<SopsDocument> documents)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var doc in documents)
        {
            sb.Append("---\n");
            DumpNode(doc.Root, 0, sb);
        }
        return sb.ToString();
    }

    private static void DumpNode(SopsNode node, int depth, System.Text.StringBuilder sb)
    {
        var pad = new string(' ', depth * 2);
        switch (node)
        {
            case SopsMapping m:
                foreach (var item in m.Items)
                {
                    if (item is SopsComment c)
                        sb.Append(pad).Append('#').Append(c.Text.TrimEnd()).Append('\n');
                    else if (item is SopsEntry e)
                    {
                        sb.Append(pad).Append(e.Key).Append(":\n");
                        DumpNode(e.Value, depth + 1, sb);
                    }
                }
                break;
            case SopsSequence s:
                foreach (var item in s.Items)
                {
                    if (item is SopsComment c)
                        sb.Append(pad).Append('#').Append(c.Text.TrimEnd()).Append('\n');
                    else
                    {
                        sb.Append(pad).Append("-\n");
                        DumpNode(item, depth + 1, sb);
                    }
                }
                break;
            case SopsScalar scalar:
                sb.Append(pad).Append(scalar.Kind).Append(' ').Append(System.Text.Json.JsonSerializer.Serialize(scalar.Text)).Append('\n');
                break;
        }
    }
}
