using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// A repository's top folder, spelled from the first path given, and the paths from that top ("apps/",
/// "apps/deploy.sh"), none for the whole repository: git names files from the top, whatever folder it runs in
/// (naming them from the folder gave "apps/apps/x.yaml"). The top of a bare repository (a mirror, a server's copy) is
/// the repository's folder itself: its history is named as if its work tree were there.
/// </summary>
internal sealed record GitScope(string Top, IReadOnlyList<string> FromTop, bool IsBare)
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

    /// <summary>The repository that holds <paramref name="paths"/> (all in one), and where they are in it.</summary>
    public static GitScope Locate(IReadOnlyList<string> paths)
    {
        ArgumentOutOfRangeException.ThrowIfZero(paths.Count);
        string? top = null, resolvedTop = null;
        bool bare = false;
        var fromTop = new List<string>();
        bool whole = false;
        foreach (var path in paths)
        {
            var (folder, below) = NearestFolder(path);
            var (code, output, error) = GitCommand.Run(["-C", folder, "rev-parse", "--show-toplevel", "--show-prefix"]);
            string resolved, prefix;
            if (code == 0)
            {
                var lines = output.Split('\n');
                (resolved, prefix) = (lines[0], lines.Length > 1 ? lines[1] : "");
            }
            else
            {
                // No work tree here: a bare repository is read as its history; anything else is refused.
                resolved = BareRepository(path, folder, error);
                (prefix, bare) = ("", true);
            }
            if (resolvedTop is null)
            {
                resolvedTop = resolved;
                // Up from the folder as the user spelled it, rather than git's resolved top: paths in findings then
                // read as the user's do, even through a symbolic link to the repository.
                int depth = prefix.Count(c => c == '/');
                top = depth == 0 ? folder : Path.Combine([folder, .. Enumerable.Repeat("..", depth)]);
            }
            else if (!string.Equals(resolved, resolvedTop, StringComparison.Ordinal))
            {
                throw new KeywardException($"\"{path}\" is in another Git repository than \"{paths[0]}\"", "audit the history of one repository at a time", FailureKind.Usage);
            }
            var inTop = prefix + below;
            if (inTop.Length == 0)
                whole = true;
            else
                fromTop.Add(inTop);
        }
        return new GitScope(top!, whole ? [] : fromTop, bare);
    }

    /// <summary>
    /// The git folder of the bare repository <paramref name="folder"/> is; an error for a folder outside any
    /// repository, or inside a repository's git folder (which has no files of its own to name).
    /// </summary>
    private static string BareRepository(string path, string folder, string workTreeError)
    {
        var (code, output, _) = GitCommand.Run(["-C", folder, "rev-parse", "--is-bare-repository", "--git-dir", "--absolute-git-dir"]);
        var lines = output.Split('\n');
        if (code != 0 || lines.Length < 3)
            throw new KeywardException($"git failed for \"{path}\": {GitCommand.FirstLine(workTreeError)}", "give the folder of a Git repository (or run inside one)", FailureKind.Usage);
        bool isGitFolder = lines[1] == ".";
        if (lines[0] != "true")
        {
            throw new KeywardException($"\"{path}\" is {(isGitFolder ? "the" : "inside the")} .git folder of a repository",
                "give the repository's folder (the one that holds .git) to scan its history", FailureKind.Usage);
        }
        if (!isGitFolder)
            throw new KeywardException($"\"{path}\" is inside the bare repository \"{lines[2]}\"", "give the repository's folder to scan its history", FailureKind.Usage);
        return lines[2];
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
}
