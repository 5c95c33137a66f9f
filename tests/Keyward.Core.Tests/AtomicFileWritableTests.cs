using Keyward.Core;

namespace Keyward.Core.Tests;

/// <summary>CheckWritable finds, without writing the file, what would make the write fail, and leaves nothing behind.</summary>
public sealed class AtomicFileWritableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-writable-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_writable_folder_passes_and_keeps_no_file()
    {
        AtomicFile.CheckWritable(Path.Combine(_dir, "ck.txt"), AtomicWriteOptions.Private);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_name_too_long_for_the_temporary_file_fails_before_the_write()
    {
        // A valid name (240 of 255 characters), but the write's temporary name is 18 characters longer.
        var path = Path.Combine(_dir, new string('k', 240));
        var error = Assert.Throws<KeywardException>(() => AtomicFile.CheckWritable(path));
        Assert.Equal(FailureKind.Failed, error.Kind);
        Assert.Contains($"cannot write \"{path}\"", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void The_destination_checks_come_first()
    {
        Assert.Equal(FailureKind.Usage, Assert.Throws<KeywardException>(() => AtomicFile.CheckWritable(Path.Combine(_dir, "none", "ck.txt"))).Kind);
        var existing = Path.Combine(_dir, "ck.txt");
        File.WriteAllText(existing, "in use\n");
        Assert.Contains("refusing to overwrite", Assert.Throws<KeywardException>(() => AtomicFile.CheckWritable(existing, new AtomicWriteOptions { Overwrite = false })).Message, StringComparison.Ordinal);
        AtomicFile.CheckWritable(existing);
        Assert.Equal("in use\n", File.ReadAllText(existing));
    }
}
