using System.Security.Cryptography;
using Keyward.Testing;

namespace Keyward.Sealing.Tests;

/// <summary>
/// An independent implementation opens what keyward seals: OpenSSL decrypts the RSA-OAEP part (SHA-256, MGF1-SHA-256,
/// the scope label) to the session key, and that key opens the AES-256-GCM part with the zero nonce.
/// </summary>
public sealed class OpensslInteropTests
{
    [RequiresToolFact("openssl")]
    public void Openssl_recovers_the_session_key_under_each_scope_label_and_it_opens_the_value()
    {
        var certificate = TestKeys.Certificate();
        var keyPath = Path.Combine(TestKeys.Dir, "sealed-secrets-test-key.pem");
        foreach (var scope in new[] { SealingScope.Strict, SealingScope.NamespaceWide, SealingScope.ClusterWide })
        {
            var label = SealingScopes.Label(scope, "myns", "myname");
            var plaintext = System.Text.Encoding.UTF8.GetBytes("value for " + SealingScopes.Name(scope));
            var blob = HybridCipher.Encrypt(certificate.PublicKey, plaintext, label);
            int rsaLength = blob[0] << 8 | blob[1];

            var args = new List<string> { "pkeyutl", "-decrypt", "-inkey", keyPath, "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256" };
            if (label.Length > 0)
                args.AddRange(["-pkeyopt", "rsa_oaep_label:" + Convert.ToHexStringLower(label)]);
            var result = ExternalTool.Run("openssl", args, stdin: blob[2..(2 + rsaLength)]);
            Assert.True(result.ExitCode == 0, $"openssl failed for {scope}: {result.Stderr}");
            Assert.Equal(32, result.Stdout.Length);

            using var gcm = new AesGcm(result.Stdout, 16);
            var sealedPart = blob.AsSpan(2 + rsaLength);
            var opened = new byte[sealedPart.Length - 16];
            gcm.Decrypt(new byte[12], sealedPart[..^16], sealedPart[^16..], opened);
            Assert.Equal(plaintext, opened);

            // And OpenSSL refuses the RSA part under another label, as the controller would.
            var wrong = new List<string>(args[..10]) { "-pkeyopt", "rsa_oaep_label:" + Convert.ToHexStringLower("other/label"u8) };
            Assert.NotEqual(0, ExternalTool.Run("openssl", wrong, stdin: blob[2..(2 + rsaLength)]).ExitCode);
        }
    }
}
