using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// Reads the lines added by each commit (or staged in the index) through the <c>git</c> command, as texts for the
/// text rules: a credential committed and later deleted is still in history, and still leaked. The rules about secrets
/// in manifests also check each manifest a commit creates or edits, read whole; for an edit they keep what they did
/// not find in the file before it (an earlier commit answers for that).
/// </summary>
public static class GitHistory
{
    /// <summary>
    /// Every commit reachable from HEAD (or <c>since..HEAD</c>), oldest first, as far as it touches
    /// <paramref name="paths"/>: folders or files (deleted ones too) of one repository, the whole of it for its top
    /// folder. The history is read while the audit runs, commit by commit, so memory grows with its findings, not
    /// its length.
    /// </summary>
    public static void AddHistory(AuditInputs inputs, IReadOnlyList<string> paths, string? since)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        GitRevisions.RefuseEmptySince(since);
        var scope = GitScope.Locate(paths);
        if (!GitRevisions.HasCommits(scope.Top))
        {
            // A repository just made (git init, files staged): no history yet, which is no error for a CI job.
            inputs.Stats.Notices.Add($"{Display(inputs, paths[0])}: no commits yet, so no history to scan (--staged scans what is staged)");
            return;
        }
        // Resolved first: git reads a blob or a tree given as the start of a range as no start at all (all history).
        var from = since is null ? null : GitRevisions.ResolveSince(scope.Top, since);
        NoteShallowHistory(inputs, scope.Top, from);
        // The author's name ends the line, after a separator no name holds, and the parents follow: a merge's lines are
        // those its author wrote while merging (a conflict resolved with a token in it), against what git would have
        // merged alone (--diff-merges=remerge); without that option git log shows no diff for merges at all.
        var args = GitCommand.In(scope.Top, ["log", "-p", .. GitCommand.PatchOptions, "--reverse", "--format=%x1eCOMMIT %H %aI %an%x1f%P"]);
        if (GitCommand.IsAtLeast(2, 36))
            args.Add("--diff-merges=remerge");
        else
            inputs.Stats.Notices.Add("git is older than 2.36: what merge commits change on their own (conflict resolutions) is not scanned");
        if (from is not null)
            args.Add($"{from}..HEAD");
        scope.AddPathspecs(args);
        inputs.AddStream(() => Read(args, inputs, scope.Top, staged: false, since));
    }

    /// <summary>What is staged for the next commit under <paramref name="paths"/> (for a pre-commit hook).</summary>
    public static void AddStaged(AuditInputs inputs, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scope = GitScope.Locate(paths);
        if (scope.IsBare)
            throw new KeywardException($"\"{paths[0]}\" is a bare repository: it has no index, so nothing is staged", "use --git to scan its history", FailureKind.Usage);
        // In a repository with no commit yet, git diff --cached compares the index with the empty tree.
        var compared = GitRevisions.ForStaged(scope.Top);
        if (compared.Note is { } note)
            inputs.Stats.Notices.Add(note);
        List<string> args = GitCommand.In(scope.Top, ["diff", "--cached", .. GitCommand.PatchOptions]);
        if (compared.Revision != "HEAD")
            args.Add(compared.Revision);
        scope.AddPathspecs(args);
        inputs.AddStream(() => Read(args, inputs, scope.Top, staged: true, since: null, scope.FromTop));
    }

    /// <summary>
    /// A shallow clone (CI's fetch-depth: 1) has commits whose parents were not fetched; each shows its whole tree as
    /// added, and what came before it cannot be scanned. Said, so a run that found nothing is not read as a clean history.
    /// </summary>
    private static void NoteShallowHistory(AuditInputs inputs, string top, string? since)
    {
        var boundaries = GitRevisions.ShallowBoundaries(top, since);
        if (boundaries.Count == 0)
            return;
        var first = boundaries[0][..Math.Min(12, boundaries[0].Length)];
        var others = boundaries.Count == 1 ? "" : $" and {boundaries.Count - 1} other commit{(boundaries.Count == 2 ? "" : "s")}";
        inputs.Stats.Notices.Add($"shallow clone: history before {first}{others} was not scanned (not fetched); fetch the full history to scan it: git fetch --unshallow, or fetch-depth: 0 with actions/checkout");
    }

    private static string Display(AuditInputs inputs, string folder)
    {
        var shown = inputs.Display(folder);
        return shown.Length == 0 ? "." : shown;
    }

    private static IEnumerable<SourceText> Read(List<string> args, AuditInputs inputs, string repository, bool staged, string? since,
        IReadOnlyList<string>? stagedUnder = null)
    {
        var process = GitCommand.Start(args);
        using (process)
        {
            try
            {
                var stderr = process.StandardError.ReadToEndAsync();
                // Blobs of edited manifests are read by id when the audit reaches them, through one git cat-file.
                var blobs = new Lazy<GitBlobs>(() => inputs.Own(new GitBlobs(repository, inputs.MaxFileBytes)));
                int commitsBefore = inputs.Stats.Commits;
                var reader = new GitDiffReader(inputs, repository, blobs);
                foreach (var text in reader.Read(process.StandardOutput))
                    yield return text;
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    // The folder was found to be in a repository and the range checked before: what fails is git.
                    var hint = since is not null
                        ? $"--since needs a commit that exists here (a tag, a branch or a sha); \"{since}\" is not one"
                        : null;
                    throw new KeywardException($"git failed: {GitCommand.FirstLine(stderr.Result)}", hint, FailureKind.Usage);
                }
                // A mistyped path is no error to git (it could be a file deleted long ago): say that nothing matched.
                if (!staged && inputs.Stats.Commits == commitsBefore)
                    inputs.Stats.Notices.Add(since is null ? "no commit touches the paths given" : $"no commit since {since} touches the paths given");
                // Under pre-commit run --all-files (CI) nothing is staged, and a pass would read as a clean repository.
                if (staged && reader.Files == 0)
                {
                    // Run from a subfolder, only its changes are asked for: say so, or "nothing is staged" would be false.
                    inputs.Stats.Notices.Add(stagedUnder is { Count: > 0 } under
                        ? $"nothing is staged under {string.Join(", ", under)}, so nothing was scanned (other staged files are outside the paths given; keyward audit --staged at the repository's top scans them all)"
                        : "nothing is staged, so nothing was scanned (pre-commit run --all-files stages nothing: in CI, audit the checkout with keyward audit . or the keyward-audit-manifests hook, and history with keyward audit --git --since REV)");
                }
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill(); // the audit stopped early
            }
        }
    }
}
