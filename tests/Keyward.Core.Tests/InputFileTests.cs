using System.Text;

namespace Keyward.Core.Tests;

/// <summary>
/// Whole-file reads of the inputs a user names: an input of 2 GiB or more is an input error in keyward's words (the
/// audit's), not .NET's "the file is too long" i/o error; anything smaller reads as File.ReadAllBytes reads it. Inputs
/// with a limit of their own are measured first: a 3 GiB file once took 4 GB of memory and ended in
/// OutOfMemoryException. The large files here are sparse (SetLength): they cost no disk and, refused unread, no memory.
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

    private string Sparse(string name, long length)
    {
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        file.SetLength(length);
        return path;
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_unread_naming_it_and_its_size()
    {
        var big = Sparse("big", 3L << 30);
        var error = Assert.Throws<KeywardException>(() => InputFile.ReadAllBytes(big, "input file", InputFile.ManifestMaxBytes, "check the path"));
        Assert.Equal($"input file \"{big}\" is too large to read: 3221225472 bytes, more than the 64 MiB keyward reads for it", error.Message);
        Assert.Equal("check the path", error.Hint);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Fact]
    public void A_file_at_the_limit_is_read()
    {
        var path = Sparse("edge", 1000);
        Assert.Equal(1000, InputFile.ReadAllBytes(path, "file", 1000, "h").Length);
        Assert.Throws<KeywardException>(() => InputFile.ReadAllBytes(path, "file", 999, "h"));
    }

    [Fact]
    public void A_stream_without_a_length_is_read_up_to_the_limit_and_no_further()
    {
        var endless = new EndlessStream();
        var error = Assert.Throws<KeywardException>(() => InputFile.ReadAll(endless, "standard input", 1L << 20, "h"));
        Assert.Equal("standard input is too large to read: more than the 1 MiB keyward reads for it", error.Message);
        Assert.True(endless.Served <= (1L << 20) + (64 << 10), $"read {endless.Served} bytes");
    }

    [Fact]
    public void Text_is_decoded_as_File_ReadAllText_decodes_it()
    {
        var path = Path.Combine(_dir, "utf16.yaml");
        File.WriteAllText(path, "kind: Secret\n", new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        Assert.Equal("kind: Secret\n", InputFile.ReadAllText(path, "file", 100, "h"));
        File.WriteAllText(path, "kind: Secret\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal("kind: Secret\n", InputFile.ReadAllText(path, "file", 100, "h"));
    }

    [Fact]
    public void A_missing_file_throws_as_the_framework_does_for_the_caller_to_name_it()
    {
        Assert.Throws<FileNotFoundException>(() => InputFile.ReadAllBytes(Path.Combine(_dir, "none"), "file", 100, "h"));
    }

    /// <summary>A pipe that never ends, as /dev/zero or `yes |` would be.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            Served += count;
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
