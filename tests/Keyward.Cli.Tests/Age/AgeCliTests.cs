using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Age;

/// <summary>What a user sees: exit codes, age-style error and hint lines that say what to do, files left intact.</summary>
public class AgeCliTests
{
    private static (string IdentityPath, string Recipient) Keygen(TempDir dir, string name)
    {
        var path = dir.File(name);
        var r = CliRunner.Run(["age", "keygen", "-o", path]);
        Assert.Equal(0, r.ExitCode);
        return (path, r.Stderr.Trim()["Public key: ".Length..]);
    }

    [Fact]
    public void Keygen_writes_age_keygen_layout_with_an_injected_clock()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var r = CliRunner.Run(["age", "keygen"], time: time);
        Assert.Equal(0, r.ExitCode);
        var lines = r.StdoutText.Split('\n');
        Assert.Equal("# created: 2026-11-22T10:00:00Z", lines[0]);
        Assert.StartsWith("# public key: age1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("AGE-SECRET-KEY-1", lines[2], StringComparison.Ordinal);
        Assert.Equal(X25519Identity.Parse(lines[2]).Recipient.ToString(), lines[1]["# public key: ".Length..]);
        Assert.Contains("Public key: age1", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void No_identity_matched_names_the_recipient_types_and_the_identities_given()
    {
        using var dir = new TempDir();
        var (_, r1) = Keygen(dir, "a");
        var (id2, _) = Keygen(dir, "b");
        var (id3, _) = Keygen(dir, "c");
        var enc = CliRunner.Run(["age", "encrypt", "-r", r1, "-o", dir.File("x.age")], "secret"u8.ToArray());
        Assert.Equal(0, enc.ExitCode);
        var dec = CliRunner.Run(["age", "decrypt", "-i", id2, "-i", id3, dir.File("x.age")]);
        Assert.Equal(1, dec.ExitCode);
        Assert.Contains("keyward: error: no identity matched: the file is for X25519 recipients; you gave 2 X25519 identities", dec.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", dec.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", dec.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_passphrase_and_passphrase_round_trip()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("good"), "tr0ub4dor&3\n");
        File.WriteAllText(dir.File("bad"), "wrong\n");
        var enc = CliRunner.Run(["age", "encrypt", "--passphrase-file", dir.File("good"), "-a"], "the data"u8.ToArray());
        Assert.Equal(0, enc.ExitCode);
        var bad = CliRunner.Run(["age", "decrypt", "--passphrase-file", dir.File("bad")], enc.Stdout);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("scrypt", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("passphrase is wrong", bad.Stderr, StringComparison.Ordinal);
        var prompted = CliRunner.Run(["age", "decrypt"], enc.Stdout, readSecret: _ => "tr0ub4dor&3");
        Assert.Equal("the data", prompted.StdoutText);
    }

    [Fact]
    public void Passphrase_prompt_is_confirmed_and_never_read_from_argv()
    {
        var answers = new Queue<string>(["one", "two"]);
        var r = CliRunner.Run(["age", "encrypt", "-p", "-a"], "x"u8.ToArray(), readSecret: _ => answers.Dequeue());
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("passphrases didn't match", r.Stderr, StringComparison.Ordinal);
        var noTerminal = CliRunner.Run(["age", "encrypt", "-p", "-a"], "x"u8.ToArray());
        Assert.Equal(2, noTerminal.ExitCode);
        Assert.Contains("--passphrase-file", noTerminal.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_decrypt_to_a_file_leaves_no_output_file()
    {
        using var dir = new TempDir();
        var (id, r) = Keygen(dir, "k");
        var plain = new byte[300_000];
        Random.Shared.NextBytes(plain);
        var enc = CliRunner.Run(["age", "encrypt", "-r", r], plain);
        var damaged = enc.Stdout.ToArray();
        damaged[^100] ^= 1;
        File.WriteAllBytes(dir.File("d.age"), damaged);
        var dec = CliRunner.Run(["age", "decrypt", "-i", id, "-o", dir.File("out"), dir.File("d.age")]);
        Assert.Equal(1, dec.ExitCode);
        Assert.Contains("failed to authenticate", dec.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".out*"));

        File.WriteAllBytes(dir.File("t.age"), enc.Stdout.AsSpan(0, 1000).ToArray());
        var truncated = CliRunner.Run(["age", "decrypt", "-i", id, "-o", dir.File("out"), dir.File("t.age")]);
        Assert.Equal(1, truncated.ExitCode);
        Assert.Contains("truncated", truncated.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out")));
    }

    [Fact]
    public void Header_and_armor_damage_are_named()
    {
        using var dir = new TempDir();
        var (id, r) = Keygen(dir, "k");
        var armored = CliRunner.Run(["age", "encrypt", "-r", r, "-a"], "hello"u8.ToArray()).StdoutText;
        var crlf = CliRunner.Run(["age", "decrypt", "-i", id], System.Text.Encoding.ASCII.GetBytes(armored.Replace("\n-----END", " \n-----END", StringComparison.Ordinal)));
        Assert.Equal(1, crlf.ExitCode);
        Assert.Contains("keyward: error: invalid armor", crlf.Stderr, StringComparison.Ordinal);
        var notAge = CliRunner.Run(["age", "decrypt", "-i", id], "hello world\n"u8.ToArray());
        Assert.Contains("not an age file", notAge.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_exit_2_with_a_hint()
    {
        var missing = CliRunner.Run(["age", "encrypt", "-a"], "x"u8.ToArray());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("keyward: hint: did you forget to specify -r/--recipient", missing.Stderr, StringComparison.Ordinal);
        var unknown = CliRunner.Run(["age", "encrypt", "--bogus"]);
        Assert.Equal(2, unknown.ExitCode);
        var terminal = CliRunner.Run(["age", "encrypt", "-r", X25519Identity.Generate().Recipient.ToString()], "x"u8.ToArray(), stdoutIsTerminal: true);
        Assert.Equal(2, terminal.ExitCode);
        Assert.Contains("refusing to output binary to the terminal", terminal.Stderr, StringComparison.Ordinal);
        var badRecipient = CliRunner.Run(["age", "encrypt", "-r", "age1notakey", "-a"], "x"u8.ToArray());
        Assert.Equal(2, badRecipient.ExitCode); // a malformed key given is an input error, as in every command
        Assert.Contains("malformed X25519 recipient", badRecipient.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_never_overwrites_and_y_converts()
    {
        using var dir = new TempDir();
        var (id, recipient) = Keygen(dir, "k");
        var before = File.ReadAllText(id);
        var again = CliRunner.Run(["age", "keygen", "-o", id]);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal(before, File.ReadAllText(id));
        var y = CliRunner.Run(["age", "keygen", "-y", id]);
        Assert.Equal(recipient + "\n", y.StdoutText);
        var secretLine = before.Split('\n')[2];
        var asRecipient = CliRunner.Run(["age", "encrypt", "-r", secretLine, "-a"], "x"u8.ToArray());
        Assert.Contains("secret key, not a recipient", asRecipient.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(secretLine, asRecipient.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_passphrase_encrypted_identity_file_is_decrypted_on_use()
    {
        using var dir = new TempDir();
        var (id, recipient) = Keygen(dir, "plain.key");
        File.WriteAllText(dir.File("pass"), "identity passphrase\n");
        var protect = CliRunner.Run(["age", "encrypt", "--passphrase-file", dir.File("pass"), "-a", "-o", dir.File("key.age"), id]);
        Assert.Equal(0, protect.ExitCode);
        var data = CliRunner.Run(["age", "encrypt", "-r", recipient, "-o", dir.File("data.age")], "payload"u8.ToArray());
        Assert.Equal(0, data.ExitCode);
        var dec = CliRunner.Run(["age", "decrypt", "-i", dir.File("key.age"), "--passphrase-file", dir.File("pass"), dir.File("data.age")]);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Equal("payload", dec.StdoutText);
        var prompted = CliRunner.Run(["age", "decrypt", "-i", dir.File("key.age"), dir.File("data.age")], readSecret: _ => "wrong");
        Assert.Equal(1, prompted.ExitCode);
        Assert.Contains("cannot decrypt identity file", prompted.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_has_help_and_the_root_has_a_version()
    {
        foreach (var args in new[] { new[] { "--help" }, ["age", "--help"], ["age", "encrypt", "--help"], ["age", "decrypt", "--help"], ["age", "keygen", "--help"] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Usage:", r.StdoutText, StringComparison.Ordinal);
        }
        Assert.Matches(@"^\d+\.\d+\.\d+", CliRunner.Run(["--version"]).StdoutText);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
