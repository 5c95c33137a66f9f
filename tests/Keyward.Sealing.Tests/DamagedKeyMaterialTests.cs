using System.Security.Cryptography;
using Keyward.Core;

namespace Keyward.Sealing.Tests;

/// <summary>
/// Certificates and private keys damaged byte by byte (seeded, so a failure repeats) are read or refused with a
/// <see cref="KeywardException"/>, never with the framework's exception: <c>keyward seal</c> once ended in "internal
/// error: CryptographicException" for a certificate whose notBefore date had one byte changed.
/// </summary>
public sealed class DamagedKeyMaterialTests
{
    private static byte[] Der(string pem) => Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);

    private static string Pem(string label, byte[] der) => new(PemEncoding.Write(label, der));

    [Fact]
    public void A_certificate_whose_notBefore_is_not_a_time_is_an_input_error_that_names_it()
    {
        var der = Der(TestKeys.CertificatePem());
        // The validity's first UTCTime (tag 0x17, 13 bytes "YYMMDDhhmmssZ"): a digit of its year becomes a byte
        // that is no digit, as in the fuzzing case (openssl: "Not Before: Bad time value").
        int at = der.AsSpan().IndexOf([(byte)0x17, (byte)0x0D]);
        Assert.True(at > 0);
        der[at + 3] = 0x8E;
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse(Pem("CERTIFICATE", der), "\"cert.pem\""));
        Assert.Equal("\"cert.pem\": the certificate does not parse: its validity dates are not valid times", error.Message);
        Assert.Contains("kubeseal --fetch-cert", error.Hint, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Fact]
    public void Certificates_damaged_anywhere_are_read_or_refused_with_a_keyward_error()
    {
        var der = Der(TestKeys.CertificatePem());
        var random = new Random(20251123);
        for (int i = 0; i < 3000; i++)
        {
            var mutant = Mutate(der, random);
            try
            {
                var certificate = SealingCertificate.Parse(Pem("CERTIFICATE", mutant), "\"cert.pem\"");
                // What was read must be usable: sealing with it is the next thing keyward does.
                HybridCipher.Encrypt(certificate.PublicKey, "v"u8, []);
                _ = certificate.ValidityProblem(TimeProvider.System);
            }
            catch (KeywardException e)
            {
                Assert.StartsWith("\"cert.pem\": ", e.Message, StringComparison.Ordinal);
                Assert.False(string.IsNullOrEmpty(e.Hint), $"mutant {i}: no hint for \"{e.Message}\"");
            }
        }
    }

    [Fact]
    public void Private_keys_damaged_anywhere_are_read_or_refused_and_a_damaged_key_that_loads_opens_nothing_without_throwing()
    {
        var certificate = TestKeys.Certificate();
        var sealedValue = HybridCipher.Encrypt(certificate.PublicKey, "v"u8, []);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.PrivateKeyPem);
        var random = new Random(20251124);
        foreach (var (label, der) in new[] { ("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey()), ("PRIVATE KEY", rsa.ExportPkcs8PrivateKey()) })
        {
            for (int i = 0; i < 400; i++)
            {
                var ring = new SealingKeyRing();
                try
                {
                    ring.Add(Pem(label, Mutate(der, random)), "\"key.pem\"");
                }
                catch (KeywardException e)
                {
                    Assert.StartsWith("\"key.pem\": ", e.Message, StringComparison.Ordinal);
                    Assert.False(string.IsNullOrEmpty(e.Hint), $"{label} mutant {i}: no hint for \"{e.Message}\"");
                    continue;
                }
                _ = HybridCipher.TryDecrypt(Assert.Single(ring.Keys), sealedValue, []);
            }
        }
    }

    /// <summary>One to three changes: a bit flipped, a byte replaced, or the data cut short.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        int changes = random.Next(1, 4);
        for (int c = 0; c < changes; c++)
        {
            int at = random.Next(bytes.Length);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                default:
                    bytes = bytes[..Math.Max(1, at)];
                    break;
            }
        }
        return bytes;
    }
}
