using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>A key with a character no OVHcloud key has is refused where it is read, not reported as a network fault.</summary>
public class OvhKeyCharactersCliTests
{
    [Theory]
    [InlineData("ck_0123456789abcdef\u00e90123456789abcd", "consumer key", "--consumer-key-file")]
    [InlineData("ck_0123456789abcdef\t0123456789abcd", "consumer key", "--consumer-key-file")]
    public void A_key_file_with_a_character_no_key_has_is_refused_before_any_request(string key, string what, string flag)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("as"), "as0123456789abcdef0123456789abcd\n");
        File.WriteAllText(dir.File("ck"), key + "\n");
        // An endpoint nothing listens on: reaching the network at all would be the bug.
        var result = CliRunner.Run(["ovh", "inspect", "--endpoint", "http://127.0.0.1:9/1.0", "--application-key", "ak0123456789abcd",
            "--application-secret-file", dir.File("as"), flag, dir.File("ck")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"the {what} from \"{dir.File("ck")}\" holds a character no OVHcloud key has (at position 20)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("network", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcd", result.Stderr.Replace(dir.Path, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
