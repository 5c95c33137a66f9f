using Keyward.Sops.Tree;

namespace Keyward.Sops.Stores;

/// <summary>Comments read ahead of the node they belong to, shared by the fast and the full YAML reader.</summary>
internal static class PendingComments
{
    /// <summary>
    /// Moves the comments indented at least <paramref name="minColumn"/> into <paramref name="items"/> and keeps the
    /// others, in order, for an enclosing block. Compacts in place rather than removing while iterating.
    /// </summary>
    public static void Flush(List<(SopsComment Comment, int Column)> pending, List<SopsNode> items, int minColumn)
    {
        int kept = 0;
        for (int i = 0; i < pending.Count; i++)
        {
            var (c, column) = pending[i];
            if (column >= minColumn)
                items.Add(c);
            else
                pending[kept++] = (c, column);
        }
        pending.RemoveRange(kept, pending.Count - kept);
    }
}
