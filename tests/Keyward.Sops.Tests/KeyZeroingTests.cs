using Keyward.Age;
using Keyward.Age.Recipients;
using Keyward.Sops.Crypto;

namespace Keyward.Sops.Tests;

/// <summary>Loaded identities are disposed (their secret keys zeroed) with the set that holds them.</summary>
public sealed class KeyZeroingTests
{
    [Fact]
    public void Disposing_an_identity_set_disposes_its_identities()
    {
        var key = X25519Identity.Generate();
        var ciphertext = AgeEncryptor.Encrypt("data key"u8, [key.Recipient]);
        var set = new IdentitySet();
        set.Add([key], "a test");
        Assert.Equal("data key"u8.ToArray(), AgeDecryptor.Decrypt(ciphertext, set.Identities));
        set.Dispose();
        Assert.Throws<ObjectDisposedException>(() => AgeDecryptor.Decrypt(ciphertext, [key]));
    }

    [Fact]
    public void Whole_buffer_encryption_and_decryption_still_round_trip_every_size()
    {
        using var key = X25519Identity.Generate();
        foreach (int size in new[] { 0, 1, 32, 64 * 1024, 64 * 1024 + 1, 200_000 })
        {
            var plaintext = new byte[size];
            System.Security.Cryptography.RandomNumberGenerator.Fill(plaintext);
            Assert.Equal(plaintext, AgeDecryptor.Decrypt(AgeEncryptor.Encrypt(plaintext, [key.Recipient]), [key]));
            Assert.Equal(plaintext, AgeDecryptor.Decrypt(AgeEncryptor.Encrypt(plaintext, [key.Recipient], new AgeEncryptOptions { Armor = true }), [key]));
        }
    }
}
