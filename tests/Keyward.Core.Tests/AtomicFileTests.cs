using System.Diagnostics;
using Keyward.Core;

namespace Keyward.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Leftovers() => Directory.GetFiles(_dir, ".*.tmp");

    [Fact]
    public void A_failed_write_leaves_the_original_and_no_temporary_file()
    {
        var path = Path.Combine(_dir, "secret.yaml");
        File.WriteAllText(path, "original");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("original", File.ReadAllText(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void A_failed_write_of_a_new_file_leaves_nothing()
    {
        var path = Path.Combine(_dir, "new.bin");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException()));
        Assert.False(File.Exists(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void Replacing_keeps_the_mode_and_private_forces_0600()
    {
        var path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "x");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        AtomicFile.WriteAllBytes(path, "y"u8);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        AtomicFile.WriteAllBytes(path, "z"u8, AtomicWriteOptions.Private);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("z", File.ReadAllText(path));
    }

    [Fact]
    public void No_overwrite_refuses_an_existing_file()
    {
        var path = Path.Combine(_dir, "key.txt");
        File.WriteAllText(path, "keep");
        var e = Assert.Throws<KeywardException>(() => AtomicFile.WriteAllBytes(path, "new"u8, new AtomicWriteOptions { Overwrite = false }));
        Assert.Contains("refusing to overwrite", e.Message, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(path));
    }

    [Fact]
    public void Devices_are_written_through_not_replaced()
    {
        AtomicFile.WriteAllBytes("/dev/null", "discarded"u8);
        Assert.True(UnixFileType.IsSpecial("/dev/null"));
        Assert.False(UnixFileType.IsSpecial(Path.Combine(_dir)));
    }

    [Fact]
    public async Task A_fifo_is_written_through()
    {
        var fifo = Path.Combine(_dir, "pipe");
        using (var mk = Process.Start("mkfifo", [fifo]))
            mk.WaitForExit();
        Assert.True(UnixFileType.IsSpecial(fifo));
        var reader = Task.Run(() => File.ReadAllText(fifo));
        AtomicFile.WriteAllBytes(fifo, "through the pipe"u8);
        Assert.Equal("through the pipe", await reader);
    }

    [Fact]
    public void A_symlink_is_written_through_to_its_target()
    {
        var target = Path.Combine(_dir, "target");
        var link = Path.Combine(_dir, "link");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        AtomicFile.WriteAllBytes(link, "new"u8);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void The_temporary_file_is_private_until_it_is_complete()
    {
        var path = Path.Combine(_dir, "public.txt");
        UnixFileMode? seen = null;
        AtomicFile.Write(path, s =>
        {
            seen = File.GetUnixFileMode(Assert.Single(Leftovers()));
            s.Write("plain"u8);
        });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, seen);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path) & ~UnixFileMode.GroupWrite);
    }

    [Fact]
    public void A_link_to_a_pipe_is_written_directly()
    {
        using var server = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        var fd = (int)server.ClientSafePipeHandle.DangerousGetHandle();
        var link = Path.Combine(_dir, "stdout");
        File.CreateSymbolicLink(link, $"/proc/self/fd/{fd}");
        AtomicFile.WriteAllBytes(link, "through the pipe"u8);
        server.DisposeLocalCopyOfClientHandle();
        using var reader = new StreamReader(server);
        Assert.Equal("through the pipe", reader.ReadToEnd());
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void A_folder_as_destination_is_a_usage_error_with_a_hint()
    {
        var e = Assert.Throws<KeywardException>(() => AtomicFile.WriteAllBytes(_dir, "x"u8));
        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Contains("folder", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Hint);
    }
}
