using System.Security.Cryptography;
using System.Text;
using Keyward.Core;

namespace Keyward.Sealing.Tests;

public sealed class KeyRingTests
{
    private static byte[] Sealed() => HybridCipher.Encrypt(TestKeys.Certificate().PublicKey, "v"u8, []);

    [Fact]
    public void PKCS8_key_opens_what_the_PKCS1_key_opens()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.PrivateKeyPem);
        var ring = new SealingKeyRing();
        ring.Add(rsa.ExportPkcs8PrivateKeyPem(), "\"k8.pem\"");
        Assert.NotNull(HybridCipher.TryDecrypt(Assert.Single(ring.Keys), Sealed(), []));
    }

    [Fact]
    public void Controller_key_backup_of_several_Secrets_yields_every_key_and_unsealing_tries_them_all()
    {
        string Item(string name, string keyPem) =>
            $"- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: {name}\n    namespace: kube-system\n  type: kubernetes.io/tls\n  data:\n" +
            $"    tls.crt: {Convert.ToBase64String(Encoding.UTF8.GetBytes(TestKeys.CertificatePem(keyPem: keyPem)))}\n" +
            $"    tls.key: {Convert.ToBase64String(Encoding.UTF8.GetBytes(keyPem))}\n";
        var backup = "apiVersion: v1\nkind: List\nitems:\n" + Item("sealed-secrets-keyabc", TestKeys.OtherKeyPem) + Item("sealed-secrets-keydef", TestKeys.PrivateKeyPem);
        var ring = new SealingKeyRing();
        ring.Add(backup, "\"backup.yaml\"");
        Assert.Equal(2, ring.Keys.Count);
        Assert.Null(HybridCipher.TryDecrypt(ring.Keys[0], Sealed(), []));
        Assert.NotNull(HybridCipher.TryDecrypt(ring.Keys[1], Sealed(), []));
    }

    [Fact]
    public void Certificate_alone_is_not_a_key()
    {
        var error = Assert.Throws<KeywardException>(() => new SealingKeyRing().Add(TestKeys.CertificatePem(), "\"cert.pem\""));
        Assert.Equal("\"cert.pem\": no RSA private key found", error.Message);
    }

    [Fact]
    public void Passphrase_protected_key_is_refused_with_a_hint()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.PrivateKeyPem);
        var encrypted = rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        var error = Assert.Throws<KeywardException>(() => new SealingKeyRing().Add(encrypted, "\"enc.pem\""));
        Assert.Equal("\"enc.pem\": the private key is encrypted with a passphrase", error.Message);
    }

    [Fact]
    public void Missing_key_file_names_the_path()
    {
        var error = Assert.Throws<KeywardException>(() => new SealingKeyRing().AddFile("/nonexistent/key.pem"));
        Assert.Equal("key file \"/nonexistent/key.pem\" does not exist", error.Message);
    }
}
