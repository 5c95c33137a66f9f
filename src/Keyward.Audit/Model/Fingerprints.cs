using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// A finding's identity across runs, for baselines and code scanning.
/// </summary>
/// <remarks>
/// The fingerprint hashes the rule, the file's path in its Git work tree, the object, the field path (or, for a
/// text finding, its message), not the line: it survives lines moving, the folder keyward runs from, and the commit
/// a line is in. It holds nothing derived from the secret: reports go to CI logs and code scanning, and a hash of a
/// masked password is a dictionary oracle. Which value a baselined finding had is kept apart, in the baseline file
/// only, as a 16-bit <see cref="ValueTag"/>: enough to see that a new value took the old one's place (1 chance in
/// 65,536 to miss it). Like any function of the value it can test a guess, so it stays out of every report; the
/// baseline belongs with the repository, which holds the secret itself.
/// </remarks>
public static class Fingerprints
{
    public static string Of(Finding finding, string treePath)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Hash("kw2", finding.RuleId, treePath, finding.Resource?.ToString(), finding.FieldPath, Extra(finding));
    }

    /// <summary>Four hex digits standing for the finding's values, or null when it has none.</summary>
    public static string? ValueTag(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Secrets.Count == 0)
            return null;
        var parts = new List<string?> { "kw2-value", finding.RuleId };
        parts.AddRange(finding.Secrets);
        return Hash([.. parts])[..4];
    }

    /// <summary>
    /// The fingerprint keyward wrote into version 1 baselines (the path as shown from the current folder, the
    /// commit and the values hashed in). Computed only to honour such a baseline; never written again.
    /// </summary>
    public static string Legacy(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var parts = new List<string?> { finding.RuleId, finding.IdentityFile ?? finding.File, finding.Resource?.ToString(), finding.FieldPath, Extra(finding) };
        parts.AddRange(finding.Secrets);
        parts.Add(finding.Commit?.Sha);
        return Hash([.. parts]);
    }

    private static string Extra(Finding finding) => finding.FieldPath is null ? finding.Message : "";

    private static string Hash(params string?[] parts)
    {
        var text = string.Join('\0', parts); // null parts join as empty
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        CryptographicOperations.ZeroMemory(bytes);
        return LowerHex.Encode(hash[..10]);
    }
}

/// <summary>
/// Finds the Git work tree a reported file lives in, so paths in fingerprints and SARIF are the same whichever
/// folder keyward runs from. A file outside any work tree is taken relative to the folder keyward runs from.
/// </summary>
public sealed class WorkTrees
{
    private readonly string _baseDirectory;
    private readonly Dictionary<string, string?> _rootOfFolder = new(StringComparer.Ordinal);

    public WorkTrees(string baseDirectory)
    {
        _baseDirectory = Path.GetFullPath(baseDirectory);
    }

    /// <summary>The work-tree root (or the base folder) and the path below it, with forward slashes.</summary>
    public (string Root, string Path) Locate(string displayedFile)
    {
        ArgumentNullException.ThrowIfNull(displayedFile);
        // A file has many findings: its place is worked out once.
        if (!_located.TryGetValue(displayedFile, out var located))
            _located[displayedFile] = located = Find(displayedFile);
        return (located.Root, located.Path);
    }

    private readonly Dictionary<string, Located> _located = new(StringComparer.Ordinal);

    private sealed record Located(string Root, string Path);

    private Located Find(string displayedFile)
    {
        // <stdin> and other names in brackets are no paths.
        if (displayedFile.StartsWith('<'))
            return new Located(_baseDirectory, displayedFile);
        var full = System.IO.Path.GetFullPath(displayedFile, _baseDirectory);
        // Through links to where the folder really is: a repository's folder reached by a link named on the command
        // line is still in that repository. A path in a bare repository's history exists nowhere on disk.
        var folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null && UnixFileType.RealPath(folder) is { } real)
        {
            full = System.IO.Path.Combine(real, System.IO.Path.GetFileName(full));
            folder = real;
        }
        var root = RootOf(folder) ?? _baseDirectory;
        var relative = System.IO.Path.GetRelativePath(root, full);
        if (System.IO.Path.DirectorySeparatorChar == '\\')
            relative = relative.Replace('\\', '/');
        return new Located(root, relative);
    }

    /// <summary>The top of the Git work tree <paramref name="folder"/> is in, or null.</summary>
    public static string? RootAbove(string folder)
    {
        for (var at = folder; at is not null; at = System.IO.Path.GetDirectoryName(at))
        {
            if (IsRoot(at))
                return at;
        }
        return null;
    }

    // .git is a folder in a clone and a file in a linked worktree or submodule; a bare repository is its own .git.
    private static bool IsRoot(string folder) =>
        Directory.Exists(System.IO.Path.Combine(folder, ".git")) || File.Exists(System.IO.Path.Combine(folder, ".git"))
        || (File.Exists(System.IO.Path.Combine(folder, "HEAD")) && Directory.Exists(System.IO.Path.Combine(folder, "objects"))
            && Directory.Exists(System.IO.Path.Combine(folder, "refs")));

    private string? RootOf(string? folder)
    {
        if (folder is null)
            return null;
        if (_rootOfFolder.TryGetValue(folder, out var known))
            return known;
        var root = IsRoot(folder) ? folder : RootOf(System.IO.Path.GetDirectoryName(folder));
        _rootOfFolder[folder] = root;
        return root;
    }
}
