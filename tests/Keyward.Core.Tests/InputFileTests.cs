namespace Keyward.Core.Tests;

/// <summary>
/// Whole-file reads of the inputs a user names: an input of 2 GiB or more is an input error in keyward's words (the
/// audit's), not .NET's "the file is too long" i/o error; anything smaller reads as File.ReadAllBytes reads it.
/// </summary>
public sealed class InputFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_file_of_3_gib_is_refused_by_its_size_before_anything_is_read()
    {
        var path = Path.Combine(_dir, "big");
        using (var sparse = File.Create(path))
            sparse.SetLength(3L << 30); // sparse: no disk used
        var e = Assert.Throws<KeywardException>(() => InputFile.ReadAllBytes(path));
        Assert.Equal($"cannot read \"{path}\": 3221225472 bytes is too large to read", e.Message);
        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.False(string.IsNullOrEmpty(e.Hint));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData(100_003)]
    public void A_file_reads_as_it_is(int size)
    {
        var path = Path.Combine(_dir, "f");
        var content = new byte[size];
        new Random(size).NextBytes(content);
        File.WriteAllBytes(path, content);
        Assert.Equal(content, InputFile.ReadAllBytes(path));
    }

    [Fact]
    public void A_file_with_no_size_is_read_to_its_end()
    {
        // /proc files say they are empty, and are not: they must be read to the end, like a pipe.
        var maps = InputFile.ReadAllBytes("/proc/self/maps");
        Assert.NotEmpty(maps);
        Assert.Equal((byte)'\n', maps[^1]);
    }

    [Fact]
    public void A_missing_file_throws_what_file_read_all_bytes_throws() =>
        Assert.Throws<FileNotFoundException>(() => InputFile.ReadAllBytes(Path.Combine(_dir, "missing")));
}
