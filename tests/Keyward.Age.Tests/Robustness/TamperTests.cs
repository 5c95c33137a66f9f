using Keyward.Age.Recipients;

namespace Keyward.Age.Tests.Robustness;

/// <summary>Every single-bit flip anywhere in a small file (header, MAC, nonce, payload) must be rejected.</summary>
public class TamperTests
{
    private static readonly X25519Identity Identity = X25519Identity.Parse("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_bit_flip_is_rejected(bool armor)
    {
        var plaintext = "a small secret: the database password is hunter2\n"u8.ToArray();
        var file = AgeEncryptor.Encrypt(plaintext, [Identity.Recipient], new AgeEncryptOptions { Armor = armor });
        Assert.Equal(plaintext, AgeDecryptor.Decrypt(file, [Identity]));

        int accepted = 0;
        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            var tampered = (byte[])file.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                var result = AgeDecryptor.Decrypt(tampered, [Identity]);
                // Armor tolerates a few flips that keep the text equivalent (e.g. LF -> CR LF is not a 1-bit flip,
                // but trailing whitespace after END is allowed); the decrypted bytes must then be the original.
                if (!armor || !result.AsSpan().SequenceEqual(plaintext))
                    accepted++;
            }
            catch (AgeException)
            {
            }
        }
        Assert.Equal(0, accepted);
    }

    [Fact]
    public void Payload_bit_flips_release_only_authentic_chunks()
    {
        var plaintext = new byte[3 * 65536 + 100];
        new Random(3).NextBytes(plaintext);
        var file = AgeEncryptor.Encrypt(plaintext, [Identity.Recipient]);
        int headerLength = file.Length - 16 - (plaintext.Length + 4 * 16);
        foreach (int chunk in new[] { 0, 1, 3 })
        {
            var tampered = (byte[])file.Clone();
            tampered[headerLength + 16 + chunk * 65552 + 7] ^= 0x40;
            using var output = new MemoryStream();
            Assert.Throws<AgePayloadException>(() => AgeDecryptor.Decrypt(new MemoryStream(tampered), output, [Identity]));
            Assert.Equal(plaintext.AsSpan(0, chunk * 65536).ToArray(), output.ToArray());
        }
    }
}
