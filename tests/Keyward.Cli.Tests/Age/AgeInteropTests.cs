using System.Security.Cryptography;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Age;

/// <summary>
/// Interop with Debian's age 1.1.1 in both directions, through the keyward CLI. Every test runs both directions:
/// keyward encrypts and age decrypts, age encrypts and keyward decrypts.
/// </summary>
public class AgeInteropTests
{
    private static byte[] Data(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static (string Identity, string Recipient) AgeKeygen(TempDir dir, string name)
    {
        var path = dir.File(name);
        var r = ExternalTool.Run("age-keygen", ["-o", path]);
        Assert.Equal(0, r.ExitCode);
        var recipient = File.ReadAllLines(path).Single(l => l.StartsWith("# public key: ", StringComparison.Ordinal))["# public key: ".Length..];
        return (path, recipient);
    }

    private static (string Identity, string Recipient) KeywardKeygen(TempDir dir, string name)
    {
        var path = dir.File(name);
        var r = CliRunner.Run(["age", "keygen", "-o", path]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var recipient = r.Stderr.Trim()["Public key: ".Length..];
        return (path, recipient);
    }

    /// <summary>keyward encrypts, age decrypts; age encrypts, keyward decrypts; both give back the plaintext.</summary>
    private static void BothWays(TempDir dir, byte[] plaintext, string[] encryptArgs, string[] decryptArgs, bool armor = false)
    {
        var plainPath = dir.File("plain.bin");
        File.WriteAllBytes(plainPath, plaintext);
        var expected = SHA256.HashData(plaintext);
        string[] armorArg = armor ? ["-a"] : [];

        var kwOut = dir.File("by-keyward.age");
        var enc = CliRunner.Run(["age", "encrypt", .. encryptArgs, .. armorArg, "-o", kwOut, plainPath]);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        var dec = ExternalTool.Run("age", ["-d", .. decryptArgs, kwOut]);
        Assert.True(dec.ExitCode == 0, "age -d: " + dec.Stderr);
        Assert.Equal(expected, SHA256.HashData(dec.Stdout));

        var ageOut = dir.File("by-age.age");
        var ageEnc = ExternalTool.Run("age", ["-e", .. encryptArgs, .. armorArg, "-o", ageOut, plainPath]);
        Assert.True(ageEnc.ExitCode == 0, "age -e: " + ageEnc.Stderr);
        var kwPlain = dir.File("by-age.plain");
        var kwDec = CliRunner.Run(["age", "decrypt", .. decryptArgs, "-o", kwPlain, ageOut]);
        Assert.True(kwDec.ExitCode == 0, kwDec.Stderr);
        Assert.Equal(expected, SHA256.HashData(File.ReadAllBytes(kwPlain)));
    }

    [RequiresToolFact("age", "age-keygen")]
    public void X25519_one_recipient_with_age_keygen_identity()
    {
        using var dir = new TempDir();
        var (id, r) = AgeKeygen(dir, "a.key");
        BothWays(dir, Data(1000), ["-r", r], ["-i", id]);
    }

    [RequiresToolFact("age")]
    public void X25519_keyward_keygen_identity()
    {
        using var dir = new TempDir();
        var (id, r) = KeywardKeygen(dir, "k.key");
        BothWays(dir, Data(5000), ["-r", r], ["-i", id]);
        var y = ExternalTool.Run("age-keygen", ["-y", id]);
        Assert.Equal(r, System.Text.Encoding.ASCII.GetString(y.Stdout).Trim());
    }

    [RequiresToolFact("age", "age-keygen")]
    public void X25519_several_recipients_each_can_decrypt()
    {
        using var dir = new TempDir();
        var (id1, r1) = AgeKeygen(dir, "a.key");
        var (id2, r2) = KeywardKeygen(dir, "b.key");
        var (id3, r3) = AgeKeygen(dir, "c.key");
        foreach (var id in new[] { id1, id2, id3 })
            BothWays(dir, Data(70000), ["-r", r1, "-r", r2, "-r", r3], ["-i", id]);
    }

    [RequiresToolFact("age", "age-keygen")]
    public void Recipients_file_and_identity_file_as_recipients()
    {
        using var dir = new TempDir();
        var (id1, r1) = AgeKeygen(dir, "a.key");
        var (id2, r2) = AgeKeygen(dir, "b.key");
        var recipients = dir.File("recipients.txt");
        File.WriteAllText(recipients, $"# team\n{r1}\n\n{r2}\n");
        BothWays(dir, Data(300), ["-R", recipients], ["-i", id2]);
        // An identity file given to -R encrypts to its public key (age accepts this too).
        var plain = dir.File("p");
        File.WriteAllBytes(plain, Data(10));
        var enc = CliRunner.Run(["age", "encrypt", "-R", id1, "-o", dir.File("x.age"), plain]);
        Assert.Equal(0, enc.ExitCode);
        Assert.Equal(0, ExternalTool.Run("age", ["-d", "-i", id1, dir.File("x.age")]).ExitCode);
    }

    [RequiresToolFact("age", "age-keygen")]
    public void Armored_both_ways()
    {
        using var dir = new TempDir();
        var (id, r) = AgeKeygen(dir, "a.key");
        BothWays(dir, Data(200_000), ["-r", r], ["-i", id], armor: true);
    }

    [RequiresToolFact("age", "ssh-keygen")]
    public void Ssh_ed25519_keys_from_ssh_keygen()
    {
        using var dir = new TempDir();
        var key = dir.File("id_ed25519");
        Assert.Equal(0, ExternalTool.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key]).ExitCode);
        BothWays(dir, Data(100_000), ["-R", key + ".pub"], ["-i", key]);
        BothWays(dir, Data(10), ["-r", File.ReadAllText(key + ".pub").Trim()], ["-i", key]);
    }

    [RequiresToolFact("age", "ssh-keygen")]
    public void Ssh_rsa_keys_from_ssh_keygen()
    {
        using var dir = new TempDir();
        var key = dir.File("id_rsa");
        Assert.Equal(0, ExternalTool.Run("ssh-keygen", ["-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", key]).ExitCode);
        BothWays(dir, Data(100_000), ["-R", key + ".pub"], ["-i", key]);
        var pem = dir.File("id_rsa_pem");
        Assert.Equal(0, ExternalTool.Run("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", pem]).ExitCode);
        BothWays(dir, Data(10), ["-R", pem + ".pub"], ["-i", pem]);
    }

    [RequiresToolFact("age", "age-keygen")]
    public void Empty_input()
    {
        using var dir = new TempDir();
        var (id, r) = AgeKeygen(dir, "a.key");
        BothWays(dir, [], ["-r", r], ["-i", id]);
        BothWays(dir, [], ["-r", r], ["-i", id], armor: true);
    }

    [RequiresToolFact("age", "age-keygen")]
    public void Chunk_boundaries()
    {
        using var dir = new TempDir();
        var (id, r) = AgeKeygen(dir, "a.key");
        const int chunk = 64 * 1024;
        foreach (var length in new[] { 1, chunk - 1, chunk, chunk + 1, 2 * chunk, 3 * chunk, 16 * chunk, 16 * chunk + 1, 32 * chunk, 33 * chunk, 65 * chunk - 7 })
            BothWays(dir, Data(length, length), ["-r", r], ["-i", id]);
    }

    [RequiresToolFact("age", "age-keygen")]
    public void Large_input_over_100_MiB()
    {
        using var dir = new TempDir();
        var (id, r) = AgeKeygen(dir, "a.key");
        BothWays(dir, Data((101 << 20) + 12345, 7), ["-r", r], ["-i", id]);
    }

    [RequiresToolFact("age")]
    public void Passphrase_files_decrypt_both_ways()
    {
        using var dir = new TempDir();
        var passFile = dir.File("pass");
        File.WriteAllText(passFile, "correct horse battery staple\n");
        var plain = dir.File("p");
        File.WriteAllBytes(plain, Data(1234));
        var enc = CliRunner.Run(["age", "encrypt", "--passphrase-file", passFile, "-o", dir.File("x.age"), plain]);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        var dec = CliRunner.Run(["age", "decrypt", "--passphrase-file", passFile, dir.File("x.age")]);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Equal(File.ReadAllBytes(plain), dec.Stdout);
        // age reads passphrases only from a terminal, so the age side of scrypt interop is covered by the CCTV scrypt vectors.
        Assert.StartsWith("age-encryption.org/v1\n-> scrypt ", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(dir.File("x.age"))), StringComparison.Ordinal);
    }
}
