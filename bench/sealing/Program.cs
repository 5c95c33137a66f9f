using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Keyward.Manifests;
using Keyward.Sealing;

// Sealing throughput, in process: manifest parsing, sealing, YAML writing, and unsealing, for a 2048-bit key (the
// conformance key size) and a 4096-bit key (the controller's default). Values are 32 random bytes, base64 in data.
var keyBits = args.Length > 0 ? args.Select(int.Parse).ToArray() : [2048, 4096];
foreach (var bits in keyBits)
{
    using var rsa = RSA.Create(bits);
    var request = new CertificateRequest("CN=sealed-secret", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    var certificate = SealingCertificate.Parse(cert.ExportCertificatePem(), "bench");
    var ring = new SealingKeyRing();
    ring.Add(rsa.ExportPkcs8PrivateKeyPem(), "bench");

    Run(bits, "1 Secret, 100 keys", Secrets(1, 100), certificate, ring, repeat: 20);
    Run(bits, "1,000 Secrets, 3 keys each", Secrets(1000, 3), certificate, ring, repeat: 3);
}

static string Secrets(int count, int keys)
{
    var text = new StringBuilder();
    for (int s = 0; s < count; s++)
    {
        text.Append("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-").Append(s).Append("\n  namespace: bench\ntype: Opaque\ndata:\n");
        for (int k = 0; k < keys; k++)
            text.Append("  key-").Append(k).Append(": ").Append(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Append('\n');
    }
    return text.ToString();
}

static void Run(int bits, string what, string input, SealingCertificate certificate, SealingKeyRing ring, int repeat)
{
    var documents = ManifestLoader.Load(input, "bench.yaml").Documents;
    int values = 0;
    string output = "";
    var sealTimes = new List<double>();
    for (int r = 0; r < repeat + 1; r++)
    {
        var watch = Stopwatch.StartNew();
        var loaded = ManifestLoader.Load(input, "bench.yaml").Documents;
        var sealer = new Sealer(certificate);
        var secrets = loaded.Select(SecretManifest.FromDocument).ToList();
        values = secrets.Sum(s => s.Entries.Count);
        output = ManifestWriter.ToYaml(sealer.SealAll(secrets));
        secrets.ForEach(s => s.Dispose());
        if (r > 0)
            sealTimes.Add(watch.Elapsed.TotalMilliseconds); // the first run warms up the JIT
    }
    var sealedDocuments = ManifestLoader.Load(output, "sealed.yaml").Documents;
    var unsealer = new Unsealer(ring);
    var sealedSecrets = sealedDocuments.Select(SealedSecretManifest.FromDocument).ToList();
    unsealer.UnsealAll(sealedSecrets.Take(20).ToList()); // warm-up: JIT tiering of BouncyCastle's big-integer code
    var watchUnseal = Stopwatch.StartNew();
    unsealer.UnsealAll(sealedSecrets);
    var unsealMs = watchUnseal.Elapsed.TotalMilliseconds;
    sealTimes.Sort();
    var median = sealTimes[sealTimes.Count / 2];
    Console.WriteLine($"RSA-{bits} | {what} | {documents.Count} docs, {values} values | seal median {median:F1} ms ({values / median * 1000:F0} values/s) over {repeat} runs | unseal {unsealMs:F0} ms ({values / unsealMs * 1000:F0} values/s) | input {input.Length / 1024} KiB, output {output.Length / 1024} KiB");
}
