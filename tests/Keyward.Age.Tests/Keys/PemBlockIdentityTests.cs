using Keyward.Age.Keys;

namespace Keyward.Age.Tests.Keys;

/// <summary>
/// A PEM block that is not a private key (a certificate, a public key, a PGP key block) given as an identity file is
/// named for what it is, as age 1.1.1 does ("unsupported key type \"CERTIFICATE\""), not as a bad line 1.
/// </summary>
public class PemBlockIdentityTests
{
    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "a PEM CERTIFICATE block")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n", "a PEM PUBLIC KEY block")]
    [InlineData("\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n-----END PGP PUBLIC KEY BLOCK-----\n", "a PEM PGP PUBLIC KEY BLOCK")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\r\nMIIB\r\n-----END CERTIFICATE REQUEST-----\r\n", "a PEM CERTIFICATE REQUEST block")]
    public void A_pem_block_is_refused_by_its_label(string text, string what)
    {
        var e = Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseIdentities(text, "\"cert.pem\""));
        Assert.Equal($"\"cert.pem\": {what}, not an age identity", e.Message);
        Assert.Contains("AGE-SECRET-KEY-1", e.Hint, StringComparison.Ordinal);
        Assert.Contains("SSH private key", e.Hint, StringComparison.Ordinal);
        Assert.Contains("passphrase", e.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY--\n")]
    [InlineData("-----BEGIN \n")]
    [InlineData("-----BEGIN certificate-----\n")]
    [InlineData("-----\n")]
    public void A_damaged_pem_line_is_refused_at_line_1_without_quoting_it(string text)
    {
        var e = Assert.Throws<AgeKeyException>(() => AgeKeyFile.ParseIdentities(text, "\"cert.pem\""));
        Assert.StartsWith("\"cert.pem\" line 1: not an age identity", e.Message, StringComparison.Ordinal);
        Assert.Contains("passphrase", e.Hint, StringComparison.Ordinal);
    }
}
