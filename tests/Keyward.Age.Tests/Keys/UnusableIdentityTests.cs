using Keyward.Age.Format;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Testing;

namespace Keyward.Age.Tests.Keys;

/// <summary>
/// A key keyward cannot use (post-quantum, a passphrase-protected SSH key) stops nothing but a file for that key: an
/// identity file that also holds one, or an -i list with one, still opens files for the others, as age unlocks an
/// encrypted SSH key only when a stanza is for it.
/// </summary>
public class UnusableIdentityTests
{
    private const string PqLine = "AGE-SECRET-KEY-PQ-1Z8QMHKS77CVF95LF38SMLT0MEFR00HVMW58DJGD5USLGCVXTJCSQNRKCNK";

    /// <summary>Writes an mlkem768x25519 stanza of the right shape; nothing can open it here, which is the point.</summary>
    private sealed class PostQuantumLookalike : IAgeRecipient
    {
        public string StanzaType => "mlkem768x25519";

        public IReadOnlyList<AgeStanza> Wrap(ReadOnlySpan<byte> fileKey, RandomSource random) =>
            [new AgeStanza("mlkem768x25519", [AgeBase64.Encode(new byte[1120])], new byte[32])];
    }

    [Fact]
    public void A_post_quantum_line_is_kept_as_an_identity_that_opens_nothing_else()
    {
        using var x = X25519Identity.Generate();
        var identities = AgeKeyFile.ParseIdentities($"{PqLine}\n# mine\n{x.ExportSecretKey()}\n", "\"keys.txt\"");
        Assert.Equal(2, identities.Count);

        var forX = AgeEncryptor.Encrypt("hello"u8, [x.Recipient]);
        Assert.Equal("hello"u8.ToArray(), AgeDecryptor.Decrypt(forX, identities));

        var forPq = AgeEncryptor.Encrypt("hello"u8, [new PostQuantumLookalike()]);
        var e = Assert.Throws<AgeUnsupportedKeyException>(() => AgeDecryptor.Decrypt(forPq, identities));
        Assert.StartsWith("\"keys.txt\" line 1: post-quantum (mlkem768x25519) identities are not supported yet", e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(e.Hint));
        Assert.DoesNotContain(PqLine[20..], e.Message + e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_for_neither_says_no_identity_matched()
    {
        using var x = X25519Identity.Generate();
        using var other = X25519Identity.Generate();
        var identities = AgeKeyFile.ParseIdentities($"{PqLine}\n{x.ExportSecretKey()}\n", "\"keys.txt\"");
        Assert.Throws<AgeNoIdentityMatchException>(() => AgeDecryptor.Decrypt(AgeEncryptor.Encrypt("hi"u8, [other.Recipient]), identities));
    }

    [RequiresToolFact("ssh-keygen")]
    public void A_passphrase_protected_ssh_key_is_asked_for_only_by_a_file_for_it()
    {
        var dir = Directory.CreateTempSubdirectory("keyward-ssh-").FullName;
        try
        {
            Check(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Check(string dir)
    {
        var path = Path.Combine(dir, "id_ed25519");
        var made = ExternalTool.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "pw-1234", "-C", "", "-f", path]);
        Assert.True(made.ExitCode == 0, made.Stderr);
        var text = File.ReadAllText(path);
        var locked = Assert.Single(AgeKeyFile.ParseIdentities(text, $"\"{path}\""));
        using var x = X25519Identity.Generate();

        var forX = AgeEncryptor.Encrypt("hello"u8, [x.Recipient]);
        Assert.Equal("hello"u8.ToArray(), AgeDecryptor.Decrypt(forX, [locked, x]));

        // Its public half is in the file: it can be encrypted to, and a file for it names the reason it cannot open.
        var recipient = AgeKeyFile.RecipientOf(locked, "x");
        Assert.Equal(AgeKeyFile.ParseRecipient(File.ReadAllText(path + ".pub").Trim()).ToString(), recipient.ToString());
        var forLocked = AgeEncryptor.Encrypt("hello"u8, [recipient]);
        var e = Assert.Throws<AgeUnsupportedKeyException>(() => AgeDecryptor.Decrypt(forLocked, [x, locked]));
        Assert.Contains("passphrase-protected SSH private keys are not supported yet", e.Message, StringComparison.Ordinal);

        // Another SSH key's file is no match for it.
        var otherPath = Path.Combine(dir, "other");
        Assert.Equal(0, ExternalTool.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", otherPath]).ExitCode);
        var forOther = AgeEncryptor.Encrypt("hello"u8, [AgeKeyFile.ParseRecipient(File.ReadAllText(otherPath + ".pub").Trim())]);
        Assert.Throws<AgeNoIdentityMatchException>(() => AgeDecryptor.Decrypt(forOther, [locked]));
    }
}
