using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>A Secret manifest whose data or stringData is readable by anyone with the repository.</summary>
public sealed class PlaintextSecretRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW101";
    public override string Name => "plaintext-secret";
    public override string Title => "Secret committed in plaintext";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Secrets;
    public override string Why => "Base64 in a Secret's data is an encoding, not encryption: anyone who can read the repository, its forks or CI logs can read the values.";
    public override string Fix => "Encrypt the file with SOPS (keyward encrypt --encrypted-regex '^(data|stringData)$') or seal it (keyward seal), or keep the Secret out of Git and create it from a secret store.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("stringData in plaintext", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: capmox-manager-credentials\n  namespace: cluster09\nstringData:\n  token: root@pam!capi\n  secret: 7d1e5a3c-09b2-4f8e-a6d4-2c9b8e7f1a05\n", true),
        new("base64 data", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: telemetry-auth\n  namespace: telemetry\ntype: Opaque\ndata:\n  api-key: dGstOWYzS3EyTG1YOHZSN3BXejROY1k2YkhkCg==\n", true),
        new("SOPS-encrypted values", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: ENC[AES256_GCM,data:q0Xk2w==,iv:Jm3yUaHkq1Qe9eS6pG9Wb4k0vXQk8H2bT1y0mJc1ZlE=,tag:Vd2mS8c3b2Jk1qA0u9wXyg==,type:str]\nsops:\n  age:\n    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ==\n        -----END AGE ENCRYPTED FILE-----\n  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n", false),
        new("a Secret with no values (filled in by a controller)", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: webhook-certs\n  namespace: cert-manager\ntype: kubernetes.io/tls\n", false),
        new("a SealedSecret", "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA==\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (document.Kind != "Secret" || document.Root.Child("sops") is not null)
            return;
        foreach (var field in new[] { "stringData", "data" })
        {
            var keys = new List<string>();
            var values = new List<string>();
            foreach (var (key, value) in document.Root.Mapping(field).Entries())
            {
                if (value is YamlScalar { Value: { Length: > 0 } v } && !v.StartsWith("ENC[", StringComparison.Ordinal))
                {
                    keys.Add(key.Value);
                    values.Add(v);
                }
            }
            if (values.Count == 0)
                continue;
            sink.Report(document, document.Root.KeyNode(field), field,
                $"Secret {document.Reference.Name} has {values.Count} unencrypted value{(values.Count == 1 ? "" : "s")} in {field} ({string.Join(", ", keys)})",
                secrets: values);
        }
    }
}
