namespace Keyward.Core.Tests;

public sealed class FileWipeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(200_000)]
    public void A_file_is_overwritten_with_zeros_in_place_and_keeps_its_length(int length)
    {
        var path = Path.GetTempFileName();
        try
        {
            var plaintext = new byte[length];
            Array.Fill(plaintext, (byte)'s');
            File.WriteAllBytes(path, plaintext);
            // A handle opened before the wipe reads the zeros: they went into the same file, not a new one.
            using var before = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            FileWipe.Overwrite(path);
            var after = new byte[length + 1];
            Assert.Equal(length, before.ReadAtLeast(after, length + 1, throwOnEndOfStream: false));
            Assert.All(after, b => Assert.Equal(0, b));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_gone_is_nothing_to_wipe()
    {
        FileWipe.Overwrite(Path.Combine(Path.GetTempPath(), "keyward-no-such-" + Guid.NewGuid().ToString("N")));
    }
}
