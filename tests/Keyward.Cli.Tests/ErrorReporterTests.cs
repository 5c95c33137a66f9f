using Keyward.Age;
using Keyward.Age.Keys;
using Keyward.Core;

namespace Keyward.Cli.Tests;

/// <summary>Every error the one reporter prints says what to do next, even when the library that threw said nothing.</summary>
public class ErrorReporterTests
{
    public static TheoryData<Exception, int> LibraryErrors => new()
    {
        { Throws(() => AgeKeyFile.ParseRecipient("ssh-ed25519 not-base64")), ExitCodes.Usage },
        { Throws(() => AgeKeyFile.ParseIdentities("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n", "\"id\"")), ExitCodes.Usage },
        { Throws(() => AgeDecryptor.Decrypt("age-encryption.org/v1\n--- AAAA\n"u8, [])), ExitCodes.Failure },
        { new AgeHeaderException("header line 2: stanza body line is longer than 64 columns"), ExitCodes.Failure },
    };

    private static Exception Throws(Action action) => Assert.ThrowsAny<Exception>(action);

    [Theory]
    [MemberData(nameof(LibraryErrors))]
    public void A_library_error_without_a_hint_gets_one_and_its_exit_code(Exception error, int code)
    {
        using var stderr = new StringWriter();
        Assert.Equal(code, ErrorReporter.Report(error, stderr, debug: false));
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("keyward: error: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("keyward: hint: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_hint_the_library_gave_is_kept()
    {
        using var stderr = new StringWriter();
        ErrorReporter.Report(new KeywardException("bad", "do this", FailureKind.Usage), stderr, debug: false);
        Assert.Equal("keyward: error: bad\nkeyward: hint: do this\n", stderr.ToString().ReplaceLineEndings("\n"));
    }
}
