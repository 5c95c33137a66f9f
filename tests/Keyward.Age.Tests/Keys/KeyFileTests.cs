using Keyward.Age.Format;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;

namespace Keyward.Age.Tests.Keys;

public class KeyFileTests
{
    private const string Secret = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

    [Fact]
    public void Identity_files_skip_comments_and_blank_lines_and_keep_every_key()
    {
        var other = X25519Identity.Generate();
        var text = $"# created: 2026-01-01T00:00:00Z\r\n# public key: age1...\n\n{Secret}\n   \n{other.ExportSecretKey()}\n";
        var identities = AgeKeyFile.ParseIdentities(text, "\"keys.txt\"");
        Assert.Equal(2, identities.Count);
    }

    [Fact]
    public void A_bad_line_is_named_by_file_and_line_without_echoing_it()
    {
        var damaged = Secret[..^1] + (Secret[^1] == 'Q' ? 'P' : 'Q');
        var e = Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseIdentities($"# c\n{damaged}\n", "\"keys.txt\""));
        Assert.StartsWith("\"keys.txt\" line 2: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(damaged, e.Message, StringComparison.Ordinal);
        Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseIdentities("# only comments\n", "x"));
        Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseIdentities("age1qqqq\n", "x"));
    }

    [Fact]
    public void Case_rules_follow_age()
    {
        var recipient = X25519Identity.Parse(Secret).Recipient.ToString();
        Assert.NotNull(AgeKeyFile.ParseRecipient(recipient));
        Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseRecipient(recipient.ToUpperInvariant()));
        Assert.Throws<AgeKeyException>(() => X25519Identity.Parse(Secret.ToLowerInvariant()));
        Assert.False(Bech32.TryDecode("age1" + recipient[4..10].ToUpperInvariant() + recipient[10..], out _, out _));
    }

    [Fact]
    public void Bech32_round_trips_without_the_90_character_limit()
    {
        var data = new byte[1216];
        new Random(5).NextBytes(data);
        var encoded = Bech32.Encode("age1pq", data);
        Assert.True(encoded.Length > 1900);
        Assert.True(Bech32.TryDecode(encoded, out var hrp, out var decoded));
        Assert.Equal("age1pq", hrp);
        Assert.Equal(data, decoded);
        var flipped = encoded[..100] + (encoded[100] == 'q' ? 'p' : 'q') + encoded[101..];
        Assert.False(Bech32.TryDecode(flipped, out _, out _));
    }

    [Fact]
    public void Unsupported_recipient_kinds_get_clear_errors()
    {
        var pq = Bech32.Encode("age1pq", new byte[1216]);
        Assert.Contains("post-quantum", Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseRecipient(pq)).Message, StringComparison.Ordinal);
        var plugin = Bech32.Encode("age1yubikey", new byte[33]);
        Assert.Contains("plugin", Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseRecipient(plugin)).Message, StringComparison.Ordinal);
        Assert.Contains("secret key", Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseRecipient(Secret)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("{1}")]
    [InlineData(" {0}")]
    [InlineData("\t{1} ")]
    [InlineData("{0}\n")]
    public void A_secret_key_given_as_a_recipient_is_refused_in_any_case_or_spacing_without_echoing_it(string shape)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, Secret, Secret.ToLowerInvariant());
        var e = Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseRecipient(text));
        Assert.Contains("secret key, not a recipient", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[16..22], e.Message + e.Hint, StringComparison.OrdinalIgnoreCase);
        Assert.True(AgeKeyFile.LooksSecret(text));
    }

    [Fact]
    public void Public_keys_do_not_look_secret()
    {
        Assert.False(AgeKeyFile.LooksSecret(X25519Identity.Parse(Secret).Recipient.ToString()));
        Assert.False(AgeKeyFile.LooksSecret("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN alice"));
        Assert.True(AgeKeyFile.LooksSecret("AGE-PLUGIN-YUBIKEY-1QQQ"));
        Assert.True(AgeKeyFile.LooksSecret("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n"));
    }

    [Fact]
    public void Recipients_files_accept_identities_and_skip_unknown_ssh_types_with_a_warning()
    {
        var warnings = new List<string>();
        var recipients = AgeKeyFile.ParseRecipients($"{Secret}\nssh-dss AAAAB3NzaC1kc3MAAACBAP comment\n", "\"r.txt\"", warnings);
        Assert.Single(recipients);
        Assert.Single(warnings);
        Assert.Contains("line 2", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Scrypt_refuses_an_empty_passphrase_and_mixing()
    {
        Assert.Throws<AgeKeyException>(() => new ScryptRecipient(""));
        using var scrypt = new ScryptRecipient("pw", workFactor: 10);
        var other = X25519Identity.Generate().Recipient;
        Assert.Throws<AgeKeyException>(() => AgeEncryptor.Encrypt("x"u8, [scrypt, other]));
        var file = AgeEncryptor.Encrypt("x"u8, [scrypt]);
        using var identity = new ScryptIdentity("pw");
        Assert.Equal("x"u8.ToArray(), AgeDecryptor.Decrypt(file, [identity]));
    }

    [Fact]
    public void Encryption_is_deterministic_with_an_injected_random_source()
    {
        var recipient = X25519Identity.Parse(Secret).Recipient;
        byte counter = 0;
        RandomSource fake = span => { foreach (ref var b in span) b = counter++; };
        var a = AgeEncryptor.Encrypt("same"u8, [recipient], new AgeEncryptOptions { Random = fake });
        counter = 0;
        var b = AgeEncryptor.Encrypt("same"u8, [recipient], new AgeEncryptOptions { Random = fake });
        Assert.Equal(a, b);
        Assert.NotEqual(a, AgeEncryptor.Encrypt("same"u8, [recipient]));
    }

    [Fact]
    public void An_ssh_rsa_key_whose_modulus_cannot_be_RSA_is_a_key_error_not_a_crash()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var key = rsa.ExportParameters(false);
        Assert.NotNull(AgeKeyFile.ParseRecipient(SshRsaLine(key.Exponent!, key.Modulus!)));
        var even = key.Modulus!.ToArray();
        even[^1] &= 0xFE;
        var error = Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseRecipient(SshRsaLine(key.Exponent!, even)));
        Assert.Contains("not a valid RSA key", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An authorized_keys line: the wire strings "ssh-rsa", e and n (as SSH mpints), base64-encoded.</summary>
    private static string SshRsaLine(byte[] exponent, byte[] modulus)
    {
        static byte[] Field(byte[] bytes) => [.. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(bytes.Length)), .. bytes];
        static byte[] MpInt(byte[] unsigned) => (unsigned[0] & 0x80) != 0 ? [0, .. unsigned] : unsigned;
        byte[] wire = [.. Field("ssh-rsa"u8.ToArray()), .. Field(MpInt(exponent)), .. Field(MpInt(modulus))];
        return "ssh-rsa " + Convert.ToBase64String(wire);
    }
}
