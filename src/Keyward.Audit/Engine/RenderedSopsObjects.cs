namespace Keyward.Audit;

/// <summary>
/// The SOPS-encrypted objects of one kustomize build, by the source files kustomize says they came from. An object
/// from no local file (a remote base), or rendered by a kubectl too old to say, is only counted.
/// </summary>
public sealed class RenderedSopsObjects
{
    private readonly SortedSet<string> _files = new(StringComparer.Ordinal);

    /// <summary>The source files, as shown (relative paths, forward slashes), in ordinal order.</summary>
    public IReadOnlySet<string> Files => _files;

    /// <summary>How many of the objects came from no file kustomize named.</summary>
    public int OfUnknownSource { get; private set; }

    /// <summary>Records one object; false when an earlier object of this build came from the same file.</summary>
    internal bool Add(string? sourceFile)
    {
        if (sourceFile is not null)
            return _files.Add(sourceFile);
        OfUnknownSource++;
        return true;
    }
}
