using System.Text;
using Keyward.Sops.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Keyward.Sops.Tests;

/// <summary>The hardware AES-GCM against BouncyCastle's GCM on random keys, IVs, AADs and plaintexts.</summary>
public sealed class AesGcmAnyIvTests
{
    private static byte[] BouncyCastleSeal(byte[] key, byte[] iv, byte[] aad, byte[] plaintext)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), 128, iv, aad));
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        int n = gcm.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, n);
        return output;
    }

    [HardwareGcmFact]
    public void Matches_BouncyCastle_on_random_inputs()
    {
        var random = new Random(20261122);
        int[] ivLengths = [1, 12, 15, 16, 17, 32, 33, 64];
        for (int round = 0; round < 600; round++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            var iv = new byte[ivLengths[round % ivLengths.Length]];
            var aad = new byte[random.Next(0, 70)];
            var plaintext = new byte[round < 100 ? round : random.Next(0, 300)];
            random.NextBytes(iv);
            random.NextBytes(aad);
            random.NextBytes(plaintext);
            var expected = BouncyCastleSeal(key, iv, aad, plaintext);

            using var gcm = new AesGcmAnyIv(key);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            gcm.Encrypt(iv, aad, plaintext, ciphertext, tag);
            Assert.Equal(expected, ciphertext.Concat(tag).ToArray());

            var back = new byte[plaintext.Length];
            Assert.True(gcm.Decrypt(iv, aad, ciphertext, tag, back));
            Assert.Equal(plaintext, back);

            // Any flipped bit in the ciphertext, tag, AAD or IV fails and leaves no plaintext behind.
            var which = random.Next(4);
            var (c2, t2, a2, i2) = ((byte[])ciphertext.Clone(), (byte[])tag.Clone(), (byte[])aad.Clone(), (byte[])iv.Clone());
            var target = which switch { 0 when c2.Length > 0 => c2, 2 when a2.Length > 0 => a2, 3 => i2, _ => t2 };
            target[random.Next(target.Length)] ^= (byte)(1 << random.Next(8));
            var damaged = new byte[plaintext.Length];
            Array.Fill(damaged, (byte)0xAA);
            Assert.False(gcm.Decrypt(i2, a2, c2, t2, damaged));
            Assert.All(damaged, b => Assert.Equal(0, b));
        }
    }

    [HardwareGcmFact]
    public void Sops_value_cipher_writes_the_same_value_with_either_implementation()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            var key = new byte[32];
            var iv = new byte[32];
            random.NextBytes(key);
            random.NextBytes(iv);
            var text = new string('é', random.Next(0, 40)) + round;
            var aad = "data:" + new string('k', random.Next(0, 30)) + ":";
            using var hardware = new SopsValueCipher(key, null, hardware: true);
            using var managed = new SopsValueCipher(key, null, hardware: false);
            var a = hardware.EncryptWithIv(Encoding.UTF8.GetBytes(text), "str", aad, iv);
            var b = managed.EncryptWithIv(Encoding.UTF8.GetBytes(text), "str", aad, iv);
            Assert.Equal(b, a);
            Assert.Equal(text, Encoding.UTF8.GetString(managed.Decrypt(a, aad, "x").Plaintext));
            Assert.Equal(text, Encoding.UTF8.GetString(hardware.Decrypt(b, aad, "x").Plaintext));
        }
    }
}

/// <summary>Skipped on CPUs without AES-NI and PCLMULQDQ, where the BouncyCastle path is the only one.</summary>
public sealed class HardwareGcmFactAttribute : FactAttribute
{
    public HardwareGcmFactAttribute()
    {
        if (!AesGcmAnyIv.IsSupported)
            Skip = "the CPU has no AES-NI/PCLMULQDQ";
    }
}
