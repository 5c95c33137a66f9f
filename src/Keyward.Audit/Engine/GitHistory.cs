using System.Diagnostics;
using System.Globalization;
using System.Text;
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
    private const string CommitMarker = "\u001eCOMMIT ";

    /// <summary>Every commit reachable from HEAD (or <c>since..HEAD</c>), oldest first.</summary>
    public static void AddHistory(AuditInputs inputs, string repository, string? since)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var args = new List<string> { "-C", repository, "log", "-p", "-U0", "--no-color", "--no-renames", "--no-ext-diff", "--reverse", "--format=%x1eCOMMIT %H %aI %an" };
        if (since is not null)
            args.Add($"{since}..HEAD");
        var edited = new List<EditedManifest>();
        Run(args, reader => Parse(reader, inputs, repository, staged: false, edited));
        AddEdited(inputs, repository, edited);
    }

    /// <summary>What is staged for the next commit (for a pre-commit hook).</summary>
    public static void AddStaged(AuditInputs inputs, string repository)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var edited = new List<EditedManifest>();
        Run(["-C", repository, "diff", "--cached", "-U0", "--no-color", "--no-renames", "--no-ext-diff"], reader => Parse(reader, inputs, repository, staged: true, edited));
        AddEdited(inputs, repository, edited);
    }

    /// <summary>A manifest a commit (or the index, with no commit) changed without creating it.</summary>
    private sealed record EditedManifest(CommitInfo? Commit, string Path, string Display);

    /// <summary>
    /// Each edited manifest as it was after its commit (or as staged) and before it, for the document rules only:
    /// <c>REV:PATH</c> and <c>REV^:PATH</c>, or <c>:PATH</c> and <c>HEAD:PATH</c> for the index.
    /// </summary>
    private static void AddEdited(AuditInputs inputs, string repository, List<EditedManifest> edited)
    {
        var names = new List<string>(edited.Count * 2);
        foreach (var e in edited)
        {
            names.Add(e.Commit is { } c ? $"{c.Sha}:{e.Path}" : $":{e.Path}");
            names.Add(e.Commit is { } p ? $"{p.Sha}^:{e.Path}" : $"HEAD:{e.Path}");
        }
        var contents = GitBlobs.Read(repository, names, inputs.MaxFileBytes);
        for (int i = 0; i < edited.Count; i++)
        {
            if (contents[2 * i] is { } after)
                inputs.AddDocumentsOnly(new SourceText(edited[i].Display, after, edited[i].Commit) { PreviousVersion = contents[2 * i + 1] ?? "" });
        }
    }

    private static void Run(List<string> args, Action<TextReader> parse)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new KeywardException("cannot start git", "install git", FailureKind.Usage);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KeywardException("git is not installed", "install git to scan history, or audit files instead", FailureKind.Usage, e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            parse(process.StandardOutput);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var message = stderr.Result.Trim().Split('\n')[0].Replace("fatal: ", "", StringComparison.Ordinal).ToLowerInvariant();
                throw new KeywardException($"git failed: {message}", "run inside a Git repository; --since needs a commit that exists", FailureKind.Usage);
            }
        }
    }

    private static void Parse(TextReader reader, AuditInputs inputs, string repository, bool staged, List<EditedManifest> edited)
    {
        CommitInfo? commit = staged ? null : default;
        string? file = null;
        bool created = false;
        var lines = new StringBuilder();
        var numbers = new List<int>();
        int next = 0;
        void Flush()
        {
            if (file is not null && numbers.Count > 0)
            {
                var display = inputs.Display(Path.Combine(repository, file));
                // A file the commit creates is added whole: its manifests are parsed, so a plaintext Secret committed
                // and deleted since is found as such, not only by credential patterns.
                bool manifest = created && AuditInputs.HasManifestExtension(file);
                inputs.AddText(new SourceText(display, lines.ToString(), commit, [.. numbers]), manifest);
                if (!created && AuditInputs.HasManifestExtension(file))
                    edited.Add(new EditedManifest(commit, file, display));
            }
            lines.Clear();
            numbers.Clear();
            file = null;
            created = false;
        }
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith(CommitMarker, StringComparison.Ordinal))
            {
                Flush();
                var parts = line[CommitMarker.Length..].Split(' ', 3);
                commit = new CommitInfo(parts[0], DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : "");
                inputs.Stats.Commits++;
            }
            else if (line.StartsWith("diff --git ", StringComparison.Ordinal))
                Flush();
            else if (line.StartsWith("--- ", StringComparison.Ordinal))
                created = line == "--- /dev/null";
            else if (line.StartsWith("+++ ", StringComparison.Ordinal))
                file = line == "+++ /dev/null" ? null : Unquote(line[4..])[2..];
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
                next = HunkStart(line);
            else if (line.StartsWith('+') && file is not null)
            {
                lines.Append(line.AsSpan(1)).Append('\n');
                numbers.Add(next++);
            }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal))
                inputs.Stats.SkippedBinary++;
        }
        Flush();
    }

    /// <summary>The new-file start line of <c>@@ -a,b +c,d @@</c>.</summary>
    private static int HunkStart(string header)
    {
        int plus = header.IndexOf(" +", StringComparison.Ordinal);
        int end = header.IndexOfAny([',', ' '], plus + 2);
        return int.Parse(header.AsSpan(plus + 2, (end < 0 ? header.Length : end) - plus - 2), CultureInfo.InvariantCulture);
    }

    private static string Unquote(string path) =>
        path.Length > 1 && path[0] == '"' && path[^1] == '"' ? path[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : path;
}
