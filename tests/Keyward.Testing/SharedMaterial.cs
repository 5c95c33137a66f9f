namespace Keyward.Testing;

/// <summary>Finds ../shared (the conformance material beside the repository) from the test binary.</summary>
public static class SharedMaterial
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Keyward.slnx")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Keyward.slnx) above " + AppContext.BaseDirectory);
        }
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("KEYWARD_SHARED");
        if (!string.IsNullOrEmpty(env))
            return env;
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"));
        if (!Directory.Exists(System.IO.Path.Combine(candidate, "conformance")))
            throw new InvalidOperationException($"the shared conformance material is not at {candidate}; set KEYWARD_SHARED to its folder");
        return candidate;
    }
}
