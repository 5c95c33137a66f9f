using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>A temporary folder with the conformance key, a certificate for it, and a Secret manifest.</summary>
internal sealed class SealingFixture : IDisposable
{
    public const string SecretYaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels:
            app: db
          annotations:
            rotated: "yes"
        type: Opaque
        data:
          password: aHVudGVyMg==
          blob: AAECA/8=
        stringData:
          user: admin
          empty: ""
        """;

    public SealingFixture(DateTimeOffset? notAfter = null)
    {
        KeyPath = Path.Combine(SharedMaterial.Path("conformance", "sealed-secrets"), "sealed-secrets-test-key.pem");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(System.IO.File.ReadAllText(KeyPath));
        var request = new CertificateRequest("CN=sealed-secret, O=sealed-secret", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var end = notAfter ?? DateTimeOffset.UtcNow.AddYears(10);
        using var certificate = request.CreateSelfSigned(end.AddYears(-10), end);
        CertPath = Dir.File("cert.pem");
        System.IO.File.WriteAllText(CertPath, certificate.ExportCertificatePem());
        SecretPath = Dir.File("secret.yaml");
        System.IO.File.WriteAllText(SecretPath, SecretYaml);
    }

    public TempDir Dir { get; } = new();
    public string KeyPath { get; }
    public string CertPath { get; }
    public string SecretPath { get; }

    public string File(string name) => Dir.File(name);

    public void Dispose() => Dir.Dispose();
}
