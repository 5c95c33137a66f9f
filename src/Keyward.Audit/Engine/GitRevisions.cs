using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// The revisions a history or staged scan starts from, checked before git log or git diff runs: a range that git
/// would read in its own way (an empty <c>--since</c> as <c>HEAD..HEAD</c>, a blob as all of history) scans something
/// other than what was asked, and says nothing.
/// </summary>
internal static class GitRevisions
{
    /// <summary>Whether HEAD names a commit: false in a repository with no commit yet, where git log would fail.</summary>
    public static bool HasCommits(string top) => GitCommand.Run(["-C", top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).Code == 0;

    /// <summary>An empty <c>--since</c> is refused before anything else: it is an unset CI variable, not a range.</summary>
    public static void RefuseEmptySince(string? since)
    {
        if (since is { Length: 0 })
        {
            throw new KeywardException("--since \"\" is empty",
                "give a commit (a tag, a branch or a sha); in CI, check the variable that gives it: an empty CI variable gives an empty --since",
                FailureKind.Usage);
        }
    }

    /// <summary>The full id of the commit <paramref name="since"/> names; a usage error that names it otherwise.</summary>
    public static string ResolveSince(string top, string since)
    {
        RefuseEmptySince(since);
        var (code, sha, _) = GitCommand.Run(["-C", top, "rev-parse", "--verify", "--quiet", since + "^{commit}"]);
        if (code == 0 && sha.Length > 0)
            return sha;
        // Something else that exists (a blob, a tree) is named as what it is; an option-like value is no object name.
        var (known, type, _) = since.StartsWith('-') ? (1, "", "") : GitCommand.Run(["-C", top, "cat-file", "-t", since]);
        if (known == 0 && type.Length > 0)
            throw new KeywardException($"--since \"{since}\" names a {type}, not a commit", "give a commit: a tag, a branch or a sha (HEAD~3, origin/main)", FailureKind.Usage);
        throw new KeywardException($"--since \"{since}\" names no commit of this repository",
            $"--since needs a commit that exists here (a tag, a branch or a sha); \"{since}\" is not one", FailureKind.Usage);
    }

    /// <summary>
    /// In a shallow clone, the commits whose parents were not fetched and that the scanned range reaches (HEAD's
    /// ancestors not already ancestors of <paramref name="since"/>): history before them is not there to scan. None in
    /// a full clone.
    /// </summary>
    public static IReadOnlyList<string> ShallowBoundaries(string top, string? since)
    {
        var (code, shallow, _) = GitCommand.Run(["-C", top, "rev-parse", "--is-shallow-repository", "--git-path", "shallow"]);
        var lines = shallow.Split('\n');
        if (code != 0 || lines.Length < 2 || lines[0] != "true")
            return [];
        var file = Path.Combine(top, lines[1]);
        if (!File.Exists(file))
            return [];
        var reached = new List<string>();
        foreach (var boundary in File.ReadAllLines(file).Where(l => l.Length > 0))
        {
            if (IsAncestor(top, boundary, "HEAD") && (since is null || !IsAncestor(top, boundary, since)))
                reached.Add(boundary);
        }
        return reached;
    }

    private static bool IsAncestor(string top, string ancestor, string of) =>
        GitCommand.Run(["-C", top, "merge-base", "--is-ancestor", ancestor, of]).Code == 0;

    /// <summary>What the index is compared with for <c>--staged</c>, and a note to give when it is not plain HEAD.</summary>
    public sealed record StagedBase(string Revision, string? Note);

    /// <summary>
    /// HEAD, except while a merge is being concluded (MERGE_HEAD exists): then the index holds what the other branch
    /// brought as well as what its author wrote, and the first has its own commits to be scanned in. The index is then
    /// compared with the merge git makes alone of HEAD and MERGE_HEAD (conflicts left in, with their markers), as
    /// <c>--git</c> compares a merge commit with <c>--diff-merges=remerge</c>: what remains is what the author wrote
    /// while merging. That needs <c>git merge-tree --write-tree</c> (git 2.38); without it, HEAD, with a note.
    /// </summary>
    public static StagedBase ForStaged(string top)
    {
        var (code, path, _) = GitCommand.Run(["-C", top, "rev-parse", "--git-path", "MERGE_HEAD"]);
        var mergeHead = code == 0 ? Path.Combine(top, path) : null;
        if (mergeHead is null || !File.Exists(mergeHead) || !HasCommits(top))
            return new StagedBase("HEAD", null);
        var heads = File.ReadAllLines(mergeHead).Where(l => l.Length > 0).ToList();
        const string Fallback = "; everything staged is scanned, what the merged branch brought included";
        if (heads.Count != 1)
            return new StagedBase("HEAD", "a merge of several branches is being concluded" + Fallback);
        if (!GitCommand.IsAtLeast(2, 38))
            return new StagedBase("HEAD", "a merge is being concluded, and git is older than 2.38 (no merge-tree --write-tree)" + Fallback);
        // Exit 1 is a merge with conflicts, whose tree is still written (with the conflict markers).
        var (merged, tree, error) = GitCommand.Run(GitCommand.In(top, ["merge-tree", "--write-tree", "--no-messages", "HEAD", heads[0]]));
        var treeId = tree.Split('\n')[0];
        if (merged is not (0 or 1) || treeId.Length == 0)
            return new StagedBase("HEAD", $"a merge is being concluded, and git could not redo it ({GitCommand.FirstLine(error)})" + Fallback);
        return new StagedBase(treeId, $"a merge is being concluded: what is staged is compared with git's own merge of HEAD and {heads[0][..Math.Min(12, heads[0].Length)]}, so what the merged branch brought is left to its own commits");
    }
}
