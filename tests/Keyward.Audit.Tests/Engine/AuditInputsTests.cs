namespace Keyward.Audit.Tests.Engine;

public sealed class AuditInputsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keyward-inputs-" + Guid.NewGuid().ToString("N")[..12]);

    public AuditInputsTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "apps"));
        File.WriteAllText(Path.Combine(_dir, "apps", "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_path_given_twice_or_inside_another_given_path_is_audited_once()
    {
        using var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false };
        inputs.AddPath(_dir);
        inputs.AddPath(_dir + Path.DirectorySeparatorChar);
        inputs.AddPath(Path.Combine(_dir, "apps"));
        inputs.AddPath(Path.Combine(_dir, "apps", "..", "b.yaml"));
        Assert.Equal(["apps/a.yaml", "b.yaml"], inputs.Texts.Select(t => t.File).Order(StringComparer.Ordinal));
        Assert.Equal(2, inputs.Stats.FilesScanned);
    }
}
