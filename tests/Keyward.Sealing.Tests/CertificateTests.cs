using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyward.Core;

namespace Keyward.Sealing.Tests;

public sealed class CertificateTests
{
    [Fact]
    public void Certificate_yields_the_RSA_public_key_of_the_controller()
    {
        var certificate = TestKeys.Certificate();
        Assert.Equal(2048, certificate.KeyBits);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.PrivateKeyPem);
        var modulus = rsa.ExportParameters(false).Modulus!;
        Assert.Equal(modulus, certificate.PublicKey.Modulus.ToByteArrayUnsigned());
        Assert.Equal(65537, certificate.PublicKey.Exponent.IntValue);
    }

    [Fact]
    public void Private_key_instead_of_certificate_is_refused_with_a_hint()
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse(TestKeys.PrivateKeyPem, "\"key.pem\""));
        Assert.Equal("\"key.pem\": expected a CERTIFICATE PEM block, found RSA PRIVATE KEY", error.Message);
        Assert.Contains("private key", error.Hint, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Fact]
    public void A_certificate_whose_RSA_modulus_is_damaged_is_refused_with_a_hint()
    {
        var certificatePem = TestKeys.CertificatePem();
        var der = Convert.FromBase64String(certificatePem[PemEncoding.Find(certificatePem).Base64Data]);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.PrivateKeyPem);
        var modulus = rsa.ExportParameters(false).Modulus!;
        int at = der.AsSpan().IndexOf(modulus);
        Assert.True(at > 0);
        der[at + modulus.Length - 1] &= 0xFE; // an even modulus: BouncyCastle refuses it
        var damaged = new string(PemEncoding.Write("CERTIFICATE", der));
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse(damaged, "\"cert.pem\""));
        Assert.Equal("\"cert.pem\": the certificate's RSA public key is not valid (its modulus or exponent is damaged)", error.Message);
        Assert.Contains("kubeseal --fetch-cert", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Bare_public_key_is_refused_as_the_wrong_PEM_type()
    {
        var pub = File.ReadAllText(Path.Combine(TestKeys.Dir, "sealed-secrets-test-pub.pem"));
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse(pub, "\"pub.pem\""));
        Assert.Equal("\"pub.pem\": expected a CERTIFICATE PEM block, found PUBLIC KEY", error.Message);
    }

    [Fact]
    public void Text_without_PEM_is_refused()
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse("hello", "\"x.pem\""));
        Assert.StartsWith("\"x.pem\": no PEM block found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_in_a_CERTIFICATE_block_is_refused()
    {
        var pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse(pem, "\"x.pem\""));
        Assert.Contains("not a valid X.509 certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ECDSA_certificate_is_refused_as_not_RSA()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ec", ec, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Parse(certificate.ExportCertificatePem(), "\"ec.pem\""));
        Assert.StartsWith("\"ec.pem\": the certificate's key is", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("not RSA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void First_certificate_of_a_bundle_is_used_after_skipping_other_blocks()
    {
        var otherCert = TestKeys.CertificatePem(keyPem: TestKeys.OtherKeyPem);
        var pem = File.ReadAllText(Path.Combine(TestKeys.Dir, "sealed-secrets-test-pub.pem")) + TestKeys.CertificatePem() + "\n" + otherCert + "\n";
        var certificate = SealingCertificate.Parse(pem, "\"bundle.pem\"");
        Assert.Equal(TestKeys.Certificate().PublicKey.Modulus, certificate.PublicKey.Modulus);
    }

    [Fact]
    public void Expired_certificate_is_reported_with_its_expiry_date_and_age()
    {
        var notAfter = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var certificate = SealingCertificate.Parse(TestKeys.CertificatePem(notAfter.AddYears(-10), notAfter), "\"old.pem\"");
        var time = new FixedTime(notAfter.AddDays(10));
        Assert.Equal("certificate \"old.pem\" expired on 2025-03-01 12:00:00Z (10 days ago)", certificate.ValidityProblem(time));
        Assert.Null(certificate.ValidityProblem(new FixedTime(notAfter.AddDays(-1))));
    }

    [Fact]
    public void Not_yet_valid_certificate_is_reported()
    {
        var notBefore = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var certificate = SealingCertificate.Parse(TestKeys.CertificatePem(notBefore, notBefore.AddYears(10)), "\"new.pem\"");
        Assert.Equal("certificate \"new.pem\" is not valid before 2030-01-01 00:00:00Z", certificate.ValidityProblem(new FixedTime(notBefore.AddDays(-3))));
    }

    [Fact]
    public void Missing_certificate_file_names_the_path()
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load("/nonexistent/cert.pem"));
        Assert.Equal("certificate file \"/nonexistent/cert.pem\" does not exist", error.Message);
    }
}
