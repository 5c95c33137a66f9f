using System.Security.Cryptography;
using Keyward.Age;
using Keyward.Age.Recipients;
using Keyward.Sops.Crypto;

namespace Keyward.Sops.Tests;

/// <summary>The single-chunk age path for data keys gives what the age library gives, and leaves every failure to it.</summary>
public sealed class SmallAgeFileTests
{
    [Theory]
    [InlineData(true, 32)]
    [InlineData(false, 32)]
    [InlineData(true, 0)]
    [InlineData(true, 65536)]
    public void Opens_what_the_age_library_writes(bool armor, int size)
    {
        using var identity = X25519Identity.Generate();
        using var other = X25519Identity.Generate();
        var secret = RandomNumberGenerator.GetBytes(size);
        var file = AgeEncryptor.Encrypt(secret, [other.Recipient, identity.Recipient], new AgeEncryptOptions { Armor = armor });

        var fast = SmallAgeFile.TryFast(file, [identity], out bool noMatch);
        Assert.False(noMatch);
        Assert.Equal(secret, fast);
        Assert.Equal(AgeDecryptor.Decrypt(file, [identity]), SmallAgeFile.Decrypt(file, [identity]));

        using var stranger = X25519Identity.Generate();
        Assert.Null(SmallAgeFile.TryFast(file, [stranger], out noMatch));
        Assert.True(noMatch);
        Assert.Null(SmallAgeFile.Decrypt(file, [stranger]));
    }

    [Fact]
    public void Damaged_files_get_the_age_library_error()
    {
        using var identity = X25519Identity.Generate();
        var file = AgeEncryptor.Encrypt(RandomNumberGenerator.GetBytes(32), [identity.Recipient], new AgeEncryptOptions());
        var payload = (byte[])file.Clone();
        payload[^5] ^= 1;
        Assert.Null(SmallAgeFile.TryFast(payload, [identity], out _));
        Assert.ThrowsAny<AgeException>(() => SmallAgeFile.Decrypt(payload, [identity]));

        var text = System.Text.Encoding.ASCII.GetString(file);
        int mac = text.IndexOf("\n--- ", StringComparison.Ordinal) + 6;
        var header = (byte[])file.Clone();
        header[mac] = (byte)(header[mac] == (byte)'A' ? 'B' : 'A');
        Assert.Null(SmallAgeFile.TryFast(header, [identity], out _));
        Assert.ThrowsAny<AgeException>(() => SmallAgeFile.Decrypt(header, [identity]));
    }
}
