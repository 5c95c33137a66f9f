using System.Runtime.CompilerServices;
using Keyward.Core;

namespace Keyward.Audit.Tests.Engine;

/// <summary>Files on disk are read when needed, let go of once checked, and read again only if a finding needs them.</summary>
public sealed class SourceTextOnDiskTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keyward-text-" + Guid.NewGuid().ToString("N")[..12]);

    public SourceTextOnDiskTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string contents)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, contents);
        return path;
    }

    /// <summary>
    /// Reads through a frame of its own: inlined into the test method, the file's string could stay in one of its
    /// stack slots, and the collector would rightly keep it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? LineOf(SourceText text, int line) => text.FileLine(line);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Contents(SourceText text) => text.Text[..15];

    /// <summary>Releases the text and makes sure the collector took it (nothing else refers to the string).</summary>
    private static void ReleaseAndCollect(SourceText text)
    {
        text.Release();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void A_released_file_is_read_again_for_a_line_and_a_kept_line_needs_no_read()
    {
        var path = Write("a.yaml", "\uFEFFkind: ConfigMap\nmetadata:\n  name: x # keyward:ignore\n");
        var text = SourceText.OnDisk("a.yaml", path);
        Assert.Equal("kind: ConfigMap", Contents(text));
        text.KeepLine(3);
        ReleaseAndCollect(text);
        Assert.Equal("metadata:", LineOf(text, 2));
        ReleaseAndCollect(text);
        File.Delete(path);
        Assert.Equal("  name: x # keyward:ignore", LineOf(text, 3));
        Assert.True(text.MayHaveIgnoreComment);
        var error = Assert.Throws<KeywardException>(() => LineOf(text, 1));
        Assert.Contains("a.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_changed_during_the_audit_is_an_error_not_a_wrong_excerpt()
    {
        var path = Write("b.yaml", "kind: Secret\n");
        var text = SourceText.OnDisk("b.yaml", path);
        Assert.Equal("kind: Secret", LineOf(text, 1));
        ReleaseAndCollect(text);
        File.WriteAllText(path, "kind: ConfigMap\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var error = Assert.Throws<KeywardException>(() => LineOf(text, 1));
        Assert.Contains("changed while it was being audited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_ignore_comment_no_line_is_read_again_for_suppressions()
    {
        var path = Write("c.yaml", "kind: Secret\n");
        var text = SourceText.OnDisk("c.yaml", path);
        Assert.Equal("kind: Secret", LineOf(text, 1));
        ReleaseAndCollect(text);
        File.Delete(path);
        Assert.False(text.MayHaveIgnoreComment);
    }

    [Fact]
    public void A_file_deleted_after_it_was_listed_stops_the_audit_with_its_name()
    {
        for (int i = 0; i < 6; i++)
            Write($"cm-{i}.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: app\n");
        var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false };
        inputs.AddPath(_dir);
        File.Delete(Path.Combine(_dir, "cm-4.yaml"));
        var error = Assert.Throws<KeywardException>(() => new Auditor(RuleRegistry.BuiltIn).Run(inputs));
        Assert.Contains("cm-4.yaml", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }
}
