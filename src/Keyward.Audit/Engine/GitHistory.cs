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

    /// <summary>
    /// Every commit reachable from HEAD (or <c>since..HEAD</c>), oldest first, as far as it touches
    /// <paramref name="paths"/>: folders or files (deleted ones too) of one repository, the whole of it for its top
    /// folder. The history is read while the audit runs, commit by commit, so memory grows with its findings, not
    /// its length.
    /// </summary>
    public static void AddHistory(AuditInputs inputs, IReadOnlyList<string> paths, string? since)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scope = Locate(paths);
        if (!HasCommits(scope.Top))
        {
            // A repository just made (git init, files staged): no history yet, which is no error for a CI job.
            inputs.Stats.Notices.Add($"{Display(inputs, paths[0])}: no commits yet, so no history to scan (--staged scans what is staged)");
            return;
        }
        // The author's name ends the line, after a separator no name holds, and the parents follow: a merge's lines are
        // those its author wrote while merging (a conflict resolved with a token in it), against what git would have
        // merged alone (--diff-merges=remerge); without that option git log shows no diff for merges at all.
        var args = new List<string> { "-C", scope.Top, "log", "-p", "-U0", "--full-index", "--no-color", "--find-renames", "--no-ext-diff", "--reverse", "--format=%x1eCOMMIT %H %aI %an%x1f%P" };
        if (SupportsRemergeDiff())
            args.Add("--diff-merges=remerge");
        else
            inputs.Stats.Notices.Add("git is older than 2.36: what merge commits change on their own (conflict resolutions) is not scanned");
        if (since is not null)
            args.Add($"{since}..HEAD");
        scope.AddPathspecs(args);
        inputs.AddStream(() => Read(args, inputs, scope.Top, staged: false, since));
    }

    /// <summary>What is staged for the next commit under <paramref name="paths"/> (for a pre-commit hook).</summary>
    public static void AddStaged(AuditInputs inputs, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scope = Locate(paths);
        List<string> args = ["-C", scope.Top, "diff", "--cached", "-U0", "--full-index", "--no-color", "--find-renames", "--no-ext-diff"];
        scope.AddPathspecs(args);
        inputs.AddStream(() => Read(args, inputs, scope.Top, staged: true, since: null));
    }

    /// <summary>
    /// A repository's top folder, spelled from the first path given, and the paths from that top ("apps/",
    /// "apps/deploy.sh"), none for the whole repository: git names files from the top, whatever folder it runs in
    /// (naming them from the folder gave "apps/apps/x.yaml").
    /// </summary>
    private sealed record Scope(string Top, IReadOnlyList<string> FromTop)
    {
        /// <summary>Only the files asked for; literal paths, not patterns (a folder may be named "*").</summary>
        public void AddPathspecs(List<string> args)
        {
            if (FromTop.Count == 0)
                return;
            args.Add("--");
            foreach (var path in FromTop)
                args.Add(":(literal)" + path);
        }
    }

    private static Scope Locate(IReadOnlyList<string> paths)
    {
        ArgumentOutOfRangeException.ThrowIfZero(paths.Count);
        string? top = null, resolvedTop = null;
        var fromTop = new List<string>();
        bool whole = false;
        foreach (var path in paths)
        {
            var (folder, below) = NearestFolder(path);
            var (code, output, error) = Run(["-C", folder, "rev-parse", "--show-toplevel", "--show-prefix"]);
            if (code != 0)
                throw new KeywardException($"git failed for \"{path}\": {FirstLine(error)}", "give the folder of a Git repository (or run inside one)", FailureKind.Usage);
            var lines = output.Split('\n');
            var prefix = lines.Length > 1 ? lines[1] : "";
            if (resolvedTop is null)
            {
                resolvedTop = lines[0];
                // Up from the folder as the user spelled it, rather than git's resolved top: paths in findings then
                // read as the user's do, even through a symbolic link to the repository.
                int depth = prefix.Count(c => c == '/');
                top = depth == 0 ? folder : Path.Combine([folder, .. Enumerable.Repeat("..", depth)]);
            }
            else if (!string.Equals(lines[0], resolvedTop, StringComparison.Ordinal))
            {
                throw new KeywardException($"\"{path}\" is in another Git repository than \"{paths[0]}\"", "audit the history of one repository at a time", FailureKind.Usage);
            }
            var inTop = prefix + below;
            if (inTop.Length == 0)
                whole = true;
            else
                fromTop.Add(inTop);
        }
        return new Scope(top!, whole ? [] : fromTop);
    }

    /// <summary>
    /// The nearest folder of <paramref name="path"/> that exists, where git can run, and the rest of the path below it:
    /// a file, or what is gone (a deleted file, and the folders that went with it: history still has them).
    /// </summary>
    private static (string Folder, string Below) NearestFolder(string path)
    {
        var folder = path;
        var below = "";
        while (!Directory.Exists(folder))
        {
            var trimmed = Path.TrimEndingDirectorySeparator(folder);
            var name = Path.GetFileName(trimmed);
            below = below.Length == 0 ? name : name + "/" + below;
            folder = Path.GetDirectoryName(trimmed) is { Length: > 0 } parent ? parent : ".";
        }
        return (folder, below);
    }

    /// <summary>git 2.36 and later can show what a merge commit changes against git's own merge of its parents.</summary>
    private static bool SupportsRemergeDiff()
    {
        var (code, output, _) = Run(["--version"]);
        var version = output.StartsWith("git version ", StringComparison.Ordinal) ? output["git version ".Length..].Split('.') : [];
        return code == 0 && version.Length >= 2 && int.TryParse(version[0], CultureInfo.InvariantCulture, out int major)
            && int.TryParse(version[1], CultureInfo.InvariantCulture, out int minor) && (major, minor).CompareTo((2, 36)) >= 0;
    }

    /// <summary>Whether HEAD names a commit: false in a repository with no commit yet, where git log would fail.</summary>
    private static bool HasCommits(string top) => Run(["-C", top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).Code == 0;

    private static (int Code, string Output, string Error) Run(IEnumerable<string> args)
    {
        using var process = Start(args);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.TrimEnd('\n'), error.Result);
    }

    private static string FirstLine(string stderr) =>
        stderr.Trim().Split('\n')[0].Replace("fatal: ", "", StringComparison.Ordinal).TrimEnd('.');

    private static string Display(AuditInputs inputs, string folder)
    {
        var shown = inputs.Display(folder);
        return shown.Length == 0 ? "." : shown;
    }

    private static Process Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // git's own messages in English, as keyward's are, and as the checks on them expect.
        psi.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(psi) ?? throw new KeywardException("cannot start git", "install git", FailureKind.Usage);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KeywardException("git is not installed", "install git to scan history, or audit files instead", FailureKind.Usage, e);
        }
    }

    private static IEnumerable<SourceText> Read(List<string> args, AuditInputs inputs, string repository, bool staged, string? since)
    {
        var process = Start(args);
        using (process)
        {
            try
            {
                var stderr = process.StandardError.ReadToEndAsync();
                // Blobs of edited manifests are read by id when the audit reaches them, through one git cat-file.
                var blobs = new Lazy<GitBlobs>(() => inputs.Own(new GitBlobs(repository, inputs.MaxFileBytes)));
                int commitsBefore = inputs.Stats.Commits;
                foreach (var text in Parse(process.StandardOutput, inputs, repository, staged, blobs))
                    yield return text;
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    // The folder was found to be in a repository before: what fails now is the range.
                    var hint = since is not null
                        ? $"--since needs a commit that exists here (a tag, a branch or a sha); \"{since}\" is not one"
                        : null;
                    throw new KeywardException($"git failed: {FirstLine(stderr.Result)}", hint, FailureKind.Usage);
                }
                // A mistyped path is no error to git (it could be a file deleted long ago): say that nothing matched.
                if (!staged && inputs.Stats.Commits == commitsBefore)
                    inputs.Stats.Notices.Add(since is null ? "no commit touches the paths given" : $"no commit since {since} touches the paths given");
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill(); // the audit stopped early
            }
        }
    }

    private static IEnumerable<SourceText> Parse(TextReader reader, AuditInputs inputs, string repository, bool staged, Lazy<GitBlobs> blobs)
    {
        CommitInfo? commit = staged ? null : default;
        string? file = null;
        bool created = false;
        bool merge = false;
        (string Before, string After)? ids = null;
        var lines = new StringBuilder();
        var numbers = new List<int>();
        var ready = new List<SourceText>();
        int next = 0;
        void Flush()
        {
            if (file is not null && numbers.Count > 0)
            {
                var display = inputs.Display(Path.Combine(repository, file));
                // A file the commit creates is added whole: its manifests are parsed, so a plaintext Secret committed
                // and deleted since is found as such, not only by credential patterns.
                bool manifest = created && AuditInputs.HasManifestExtension(file);
                ready.Add(inputs.Scanned(new SourceText(display, lines.ToString(), commit, [.. numbers]), manifest));
                // A manifest it edits is read whole, before and after, for the document rules only.
                if (!created && AuditInputs.HasManifestExtension(file) && ids is { } blob)
                {
                    var store = blobs.Value;
                    var edit = new ManifestEdit(blob.Before, blob.After, () => store.Read(blob.Before));
                    // A blob too large or not text reads as empty: no documents, no findings.
                    ready.Add(AuditInputs.DocumentsOnly(SourceText.Deferred(display, () => store.Read(blob.After) ?? "", commit, edit)));
                }
            }
            lines.Clear();
            numbers.Clear();
            file = null;
            created = false;
            ids = null;
        }
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith(CommitMarker, StringComparison.Ordinal))
            {
                Flush();
                var (header, parents) = line[CommitMarker.Length..].Split('\u001f', 2) is [var h, var p] ? (h, p) : (line[CommitMarker.Length..], "");
                var parts = header.Split(' ', 3);
                commit = new CommitInfo(parts[0], DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : "");
                merge = parents.Contains(' ', StringComparison.Ordinal);
                inputs.Stats.Commits++;
            }
            else if (line.StartsWith("diff --git ", StringComparison.Ordinal))
                Flush();
            else if (line.StartsWith("index ", StringComparison.Ordinal))
                ids = merge ? null : BlobIds(line); // a merge's "before" is git's own merge, a blob that is never stored
            else if (line.StartsWith("--- ", StringComparison.Ordinal))
                created = line == "--- /dev/null";
            else if (line.StartsWith("+++ ", StringComparison.Ordinal))
                file = line == "+++ /dev/null" ? null : DiffPath(line.AsSpan(4))[2..];
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
                next = HunkStart(line);
            else if (line.StartsWith('+') && file is not null)
            {
                lines.Append(line.AsSpan(1)).Append('\n');
                numbers.Add(next++);
            }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) && !line.EndsWith(" and /dev/null differ", StringComparison.Ordinal))
                inputs.Stats.SkippedBinary++; // a deleted binary adds nothing to scan, so it is no skipped file
            if (ready.Count > 0)
            {
                foreach (var text in ready)
                    yield return text;
                ready.Clear();
            }
        }
        Flush();
        foreach (var text in ready)
            yield return text;
    }

    /// <summary>The blob ids of <c>index BEFORE..AFTER [MODE]</c> (full ids: the diff runs with --full-index).</summary>
    private static (string Before, string After)? BlobIds(string header)
    {
        var range = header.AsSpan("index ".Length);
        int space = range.IndexOf(' ');
        if (space >= 0)
            range = range[..space];
        int dots = range.IndexOf("..", StringComparison.Ordinal);
        return dots > 0 ? (range[..dots].ToString(), range[(dots + 2)..].ToString()) : null;
    }

    /// <summary>The new-file start line of <c>@@ -a,b +c,d @@</c>.</summary>
    private static int HunkStart(string header)
    {
        int plus = header.IndexOf(" +", StringComparison.Ordinal);
        int end = header.IndexOfAny([',', ' '], plus + 2);
        return int.Parse(header.AsSpan(plus + 2, (end < 0 ? header.Length : end) - plus - 2), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The path of a <c>+++</c> line, as git writes it: a name with a space is followed by a tab (as GNU diff does), and
    /// one with a double quote, a backslash, a control or a non-ASCII character is C-quoted, its bytes as octal
    /// escapes (<c>"b/\303\251 a.env"</c> for <c>b/é a.env</c>).
    /// </summary>
    internal static string DiffPath(ReadOnlySpan<char> field)
    {
        if (field.EndsWith('\t'))
            field = field[..^1];
        if (field.Length < 2 || field[0] != '"' || field[^1] != '"')
            return field.ToString();
        var bytes = new List<byte>(field.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 1; i < field.Length - 1; i++)
        {
            char c = field[i];
            if (c != '\\' || i + 1 == field.Length - 1)
            {
                int n = Encoding.UTF8.GetBytes(field.Slice(i, char.IsHighSurrogate(c) && i + 1 < field.Length - 1 ? 2 : 1), utf8);
                bytes.AddRange(utf8[..n]);
                if (n == 4)
                    i++;
                continue;
            }
            char e = field[++i];
            if (e is >= '0' and <= '3' && i + 2 < field.Length - 1 && IsOctal(field[i + 1]) && IsOctal(field[i + 2]))
            {
                bytes.Add((byte)((e - '0') * 64 + (field[i + 1] - '0') * 8 + (field[i + 2] - '0')));
                i += 2;
                continue;
            }
            bytes.Add(e switch
            {
                'a' => 7,
                'b' => 8,
                't' => 9,
                'n' => 10,
                'v' => 11,
                'f' => 12,
                'r' => 13,
                _ => (byte)e, // \" and \\, and anything git does not write, kept as the character
            });
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
