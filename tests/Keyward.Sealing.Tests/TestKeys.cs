using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyward.Testing;

namespace Keyward.Sealing.Tests;

/// <summary>The throwaway conformance key, certificates made from it, and a deterministic random source.</summary>
internal static class TestKeys
{
    public static string Dir => SharedMaterial.Path("conformance", "sealed-secrets");

    public static string PrivateKeyPem => File.ReadAllText(Path.Combine(Dir, "sealed-secrets-test-key.pem"));

    public static SealingKeyRing Ring()
    {
        var ring = new SealingKeyRing();
        ring.Add(PrivateKeyPem, "test key");
        return ring;
    }

    /// <summary>A self-signed certificate over the conformance key, as the controller makes for its own keys.</summary>
    public static string CertificatePem(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string? keyPem = null)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(keyPem ?? PrivateKeyPem);
        var request = new CertificateRequest("CN=sealed-secret, O=sealed-secret", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(10));
        return certificate.ExportCertificatePem();
    }

    public static SealingCertificate Certificate() => SealingCertificate.Parse(CertificatePem(), "\"test-cert.pem\"");

    private static readonly Lazy<string> OtherKey = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    });

    /// <summary>Another controller's key, for "does not open under the wrong key" tests.</summary>
    public static string OtherKeyPem => OtherKey.Value;

    /// <summary>A repeatable byte stream (SHA-256 in counter mode over a seed): same seed, same bytes.</summary>
    public static Keyward.Age.RandomSource Deterministic(int seed)
    {
        long counter = 0;
        return destination =>
        {
            Span<byte> block = stackalloc byte[32];
            Span<byte> input = stackalloc byte[12];
            while (!destination.IsEmpty)
            {
                BitConverter.TryWriteBytes(input, seed);
                BitConverter.TryWriteBytes(input[4..], counter++);
                SHA256.HashData(input, block);
                int n = Math.Min(block.Length, destination.Length);
                block[..n].CopyTo(destination);
                destination = destination[n..];
            }
        };
    }
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
