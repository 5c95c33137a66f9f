using Keyward.Core;

namespace Keyward.Core.Tests;

/// <summary>The paths a signal handler removes: registered while they exist, refused once the process is stopping.</summary>
public sealed class TerminationCleanupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-cleanup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Remove_all_deletes_registered_files_and_folders_but_not_released_ones()
    {
        var cleanup = new TerminationCleanup();
        var file = Path.Combine(_dir, "plain.tmp");
        var folder = Path.Combine(_dir, "private");
        var kept = Path.Combine(_dir, "kept");
        using var a = cleanup.Register(() => { File.WriteAllText(file, "secret"); return file; });
        using var b = cleanup.Register(() => { Directory.CreateDirectory(folder); File.WriteAllText(Path.Combine(folder, "x"), "secret"); return folder; });
        cleanup.Register(() => { File.WriteAllText(kept, "done"); return kept; }).Dispose();

        cleanup.RemoveAll();

        Assert.False(File.Exists(file));
        Assert.False(Directory.Exists(folder));
        Assert.True(File.Exists(kept));
        // Once stopping, nothing new is created that the handler would no longer remove.
        var late = Path.Combine(_dir, "late");
        Assert.Throws<OperationCanceledException>(() => cleanup.Register(() => { File.WriteAllText(late, "x"); return late; }));
        Assert.False(File.Exists(late));
    }

    [Fact]
    public void Interrupts_are_deferred_only_inside_the_scope()
    {
        var cleanup = new TerminationCleanup();
        Assert.False(cleanup.DefersInterrupts);
        using (cleanup.DeferInterrupts())
        {
            Assert.True(cleanup.DefersInterrupts);
        }
        Assert.False(cleanup.DefersInterrupts);
    }
}
