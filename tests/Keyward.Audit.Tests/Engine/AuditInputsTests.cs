using System.Text;

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

    [Fact]
    public void A_file_with_a_NUL_in_its_first_8000_bytes_is_binary_and_skipped_and_one_with_a_later_NUL_is_scanned()
    {
        const string Token = "token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n";
        var early = Encoding.UTF8.GetBytes(Token + "\0");
        var late = Encoding.UTF8.GetBytes(Token.PadRight(8000, '#') + "\0");
        File.WriteAllBytes(Path.Combine(_dir, "apps", "early.bin"), early);
        File.WriteAllBytes(Path.Combine(_dir, "apps", "late.bin"), late);
        File.WriteAllBytes(Path.Combine(_dir, "named.bin"), early);
        using var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false };
        inputs.AddPath(_dir);
        inputs.AddPath(Path.Combine(_dir, "named.bin"));

        var result = new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW207"] }).Run(inputs);

        var finding = Assert.Single(result.Findings);
        Assert.Equal("apps/late.bin", finding.File);
        Assert.Equal(2, result.Stats.SkippedBinary);
        Assert.Equal(3, result.Stats.FilesScanned); // a.yaml, b.yaml and late.bin
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public void A_manifest_in_UTF_16_or_32_with_its_byte_order_mark_is_read_as_text(string encoding)
    {
        // What Windows PowerShell 5 writes for kubectl get secret -o yaml > secret.yaml; kubectl reads it back.
        var wide = Encoding.GetEncoding(encoding);
        var secret = "apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: db\r\nstringData:\r\n  password: Zq9vL2mXw8RtY4bN6cKd\r\n";
        File.WriteAllBytes(Path.Combine(_dir, "apps", "secret.yaml"), [.. wide.GetPreamble(), .. wide.GetBytes(secret)]);
        using var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false };
        inputs.AddPath(Path.Combine(_dir, "apps", "secret.yaml"));

        var result = new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW101"] }).Run(inputs);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(new Keyward.Manifests.SourcePosition(5, 1), finding.Position);
        Assert.Equal(0, result.Stats.SkippedBinary);
    }

    [Fact]
    public async Task A_FIFO_met_in_a_folder_is_skipped_and_one_named_is_read_like_stdin()
    {
        // Reading a FIFO waits for a writer: a step that opens one by mistake never ends, and times out here.
        var limit = TimeSpan.FromSeconds(30);
        var fifo = Path.Combine(_dir, "apps", "pipe");
        MakeFifo(fifo);
        using (var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false })
        {
            await Task.Run(() => inputs.AddPath(_dir)).WaitAsync(limit);
            var result = await Task.Run(() => new Auditor(RuleRegistry.BuiltIn).Run(inputs)).WaitAsync(limit);
            Assert.Equal(2, result.Stats.FilesScanned);
        }

        // bash's <(helm template .) names a pipe: its text is read once, to its end.
        var writer = Task.Run(() => File.WriteAllText(fifo, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Kx9vTq2mWz7Lp4Rb\n"));
        using (var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false })
        {
            var result = await Task.Run(() =>
            {
                inputs.AddPath(fifo);
                return new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW101"] }).Run(inputs);
            }).WaitAsync(limit);
            await writer.WaitAsync(limit);
            var finding = Assert.Single(result.Findings);
            Assert.Equal(fifo, finding.File);
            Assert.Equal(5, finding.Position.Line);
        }
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
