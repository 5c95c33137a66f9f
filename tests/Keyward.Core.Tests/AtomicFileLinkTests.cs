using Keyward.Core;

namespace Keyward.Core.Tests;

/// <summary>
/// Links and modes: a write that must create a new file goes through nothing already there (a dangling link
/// included), two paths are the same file when their links lead to it, and a new file's mode follows the umask.
/// </summary>
public sealed class AtomicFileLinkTests : IDisposable
{
    private const UnixFileMode ReadWriteAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private static readonly AtomicWriteOptions NewOnly = AtomicWriteOptions.Private with { Overwrite = false };

    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-atomic-links-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_new_only_write_refuses_a_dangling_link_and_creates_nothing_where_it_points()
    {
        Directory.CreateDirectory(P("elsewhere"));
        var planted = P("elsewhere/planted-key.txt");
        File.CreateSymbolicLink(P("key.txt"), planted);

        var e = Assert.Throws<KeywardException>(() => AtomicFile.WriteAllBytes(P("key.txt"), "AGE-SECRET-KEY-1"u8, NewOnly));
        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Contains("\"" + P("key.txt") + "\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Hint);
        Assert.False(File.Exists(planted));
        Assert.Empty(Directory.GetFiles(_dir, ".*.tmp"));

        // The check alone (for commands that look before they start work) says the same.
        var check = Assert.Throws<KeywardException>(() => AtomicFile.CheckDestination(P("key.txt"), NewOnly));
        Assert.Equal(e.Message, check.Message);
    }

    [Fact]
    public void A_new_only_write_refuses_a_link_to_an_existing_file_and_a_device()
    {
        File.WriteAllText(P("target"), "keep");
        File.CreateSymbolicLink(P("link"), P("target"));
        Assert.Throws<KeywardException>(() => AtomicFile.WriteAllBytes(P("link"), "new"u8, NewOnly));
        Assert.Equal("keep", File.ReadAllText(P("target")));

        File.CreateSymbolicLink(P("null"), "/dev/null");
        Assert.Throws<KeywardException>(() => AtomicFile.WriteAllBytes(P("null"), "new"u8, NewOnly));
        Assert.Throws<KeywardException>(() => AtomicFile.WriteAllBytes("/dev/null", "new"u8, NewOnly));
    }

    [Fact]
    public void The_check_alone_accepts_a_link_to_a_pipe_as_the_write_does()
    {
        using var server = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        var fd = (int)server.ClientSafePipeHandle.DangerousGetHandle();
        File.CreateSymbolicLink(P("stdout"), $"/proc/self/fd/{fd}");
        AtomicFile.CheckDestination(P("stdout"));
        AtomicFile.CheckDestination(P("stdout"), AtomicWriteOptions.Private);
    }

    [Fact]
    public void A_new_only_write_of_a_free_path_is_created_private()
    {
        AtomicFile.WriteAllBytes(P("fresh"), "k"u8, NewOnly);
        Assert.Equal("k", File.ReadAllText(P("fresh")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(P("fresh")));
    }

    [Fact]
    public void Same_file_sees_through_links_to_the_file_and_to_its_folder()
    {
        File.WriteAllText(P("secret.age"), "ciphertext");
        File.WriteAllText(P("other"), "x");
        File.CreateSymbolicLink(P("out.txt"), "secret.age");
        Directory.CreateSymbolicLink(P("here"), _dir);

        Assert.True(AtomicFile.SameFile(P("secret.age"), P("secret.age")));
        Assert.True(AtomicFile.SameFile(P("secret.age"), P("out.txt")));
        Assert.True(AtomicFile.SameFile(P("secret.age"), P("here/secret.age")));
        Assert.True(AtomicFile.SameFile(P("here/out.txt"), P("secret.age")));
        Assert.False(AtomicFile.SameFile(P("secret.age"), P("other")));
        Assert.False(AtomicFile.SameFile(P("secret.age"), P("missing")));
    }

    [Fact]
    public void A_new_file_gets_0666_less_the_umask_and_a_replaced_one_keeps_its_mode()
    {
        AtomicFile.WriteAllBytes(P("public.txt"), "x"u8);
        Assert.Equal(ReadWriteAll & ~ProcessUmask.Current(), File.GetUnixFileMode(P("public.txt")));

        File.SetUnixFileMode(P("public.txt"), ReadWriteAll);
        AtomicFile.WriteAllBytes(P("public.txt"), "y"u8);
        Assert.Equal(ReadWriteAll, File.GetUnixFileMode(P("public.txt")));
        // Private output tightens a loose file: plaintext must not stay readable by others because the file was.
        AtomicFile.WriteAllBytes(P("public.txt"), "z"u8, AtomicWriteOptions.Private);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(P("public.txt")));
    }

    [Theory]
    [InlineData("Name:\tkeyward\nUmask:\t0077\nState:\tR (running)\n", 0b000_111_111)]
    [InlineData("Name:\tkeyward\nUmask:\t0002\n", 0b000_000_010)]
    [InlineData("Umask:\t0000\n", 0)]
    public void The_umask_is_read_from_proc_self_status(string status, int expected)
    {
        Assert.Equal((UnixFileMode)expected, ProcessUmask.FromStatus(status));
    }

    [Theory]
    [InlineData("Name:\tkeyward\nState:\tR (running)\n")]
    [InlineData("Umask:\t08\n")]
    [InlineData("Umask:\t\n")]
    public void A_status_without_a_readable_umask_gives_none(string status)
    {
        Assert.Null(ProcessUmask.FromStatus(status));
    }

    [Fact]
    public void This_process_umask_is_the_kernels()
    {
        // On Linux /proc/self/status has it; 022 is the fallback elsewhere.
        var line = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        Assert.Equal((UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8), ProcessUmask.Current());
    }
}
