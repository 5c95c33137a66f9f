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

    /// <summary>Parser errors that quote their input (here a value that lost its quotes), as the stores attach them.</summary>
    public static TheoryData<Exception> QuotingErrors => new()
    {
        new KeywardException("\"f.json\" line 1 column 1: invalid JSON", "fix it", FailureKind.Usage,
            Throws(() => System.Text.Json.JsonDocument.Parse("tLEAKMARKERpw9"))),
        new KeywardException("\"f.yaml\" line 2 column 11: invalid YAML", "fix it", FailureKind.Usage,
            Throws(() => new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader("a: b\npassword: *LEAKMARKERpw9\n")))),
        new KeywardException("outer", "fix it", FailureKind.Usage, Throws(() => int.Parse("LEAKMARKERpw9", System.Globalization.CultureInfo.InvariantCulture))),
        new InvalidOperationException("outer", Throws(() => System.Text.Json.JsonDocument.Parse("{\"a\": LEAKMARKERpw9}"))),
        Throws(() => System.Text.Json.JsonDocument.Parse("[LEAKMARKERpw9]")),
    };

    [Theory]
    [MemberData(nameof(QuotingErrors))]
    public void Debug_prints_types_and_stack_traces_but_not_the_input_parsers_quote(Exception error)
    {
        using var stderr = new StringWriter();
        ErrorReporter.Report(error, stderr, debug: true);
        var text = stderr.ToString();
        Assert.DoesNotContain("LEAKMARKER", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("   at ", text, StringComparison.Ordinal);
        for (var e = error; e is not null; e = e.InnerException)
            Assert.Contains(e.GetType().FullName!, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_keeps_the_reason_and_position_of_a_parser_error()
    {
        using var stderr = new StringWriter();
        ErrorReporter.Report(new KeywardException("outer", null, FailureKind.Usage, Throws(() => System.Text.Json.JsonDocument.Parse("{\"a\": 1,\n \"b\": tLEAKMARKERpw9}"))), stderr, debug: true);
        Assert.Contains("a bare word where a value was expected", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("(line 2 byte", stderr.ToString(), StringComparison.Ordinal);
    }
}
