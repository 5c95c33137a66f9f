using Keyward.Audit.Credentials;
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
    public override string Fix => "Encrypt the file with SOPS (keyward encrypt --age RECIPIENT -i FILE; for a Secret keyward encrypts data and stringData only, as Flux needs) or seal it (keyward seal --cert CERT -o FILE.sealed.yaml FILE), or keep the Secret out of Git and create it from a secret store. A value that was committed in plaintext is in the history: rotate it.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("stringData in plaintext", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: capmox-manager-credentials\n  namespace: cluster09\nstringData:\n  token: root@pam!capi\n  secret: 7d1e5a3c-09b2-4f8e-a6d4-2c9b8e7f1a05\n", true),
        new("base64 data", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: telemetry-auth\n  namespace: telemetry\ntype: Opaque\ndata:\n  api-key: dGstOWYzS3EyTG1YOHZSN3BXejROY1k2YkhkCg==\n", true),
        new("SOPS-encrypted values", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: ENC[AES256_GCM,data:q0Xk2w==,iv:Jm3yUaHkq1Qe9eS6pG9Wb4k0vXQk8H2bT1y0mJc1ZlE=,tag:Vd2mS8c3b2Jk1qA0u9wXyg==,type:str]\nsops:\n  age:\n    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ==\n        -----END AGE ENCRYPTED FILE-----\n  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n", false),
        new("values Flux substitutes from the cluster (postBuild.substituteFrom)", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  DB_PASSWORD: ${DB_PASSWORD}\n  API_TOKEN: ${API_TOKEN:=}\n", false),
        new("a substituted value with a default, which is in Git", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  DB_PASSWORD: ${DB_PASSWORD:=Zq8vN2kP4xR7}\n", true),
        new("a template whose values are to be filled in (the CloudSigma PRD's)", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cloudsigma-impersonation\n  namespace: capcs-system\ntype: Opaque\ndata:\n  oauth-url: <base64-encoded>\n  client-id: <base64-encoded>\n  client-secret: <base64-encoded>\n", false),
        new("Flux's sops-age Secret: the age key is KW107's finding, which says what it is", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n  namespace: flux-system\nstringData:\n  age.agekey: AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n", false),
        new("a template made by kubectl create secret --dry-run=client -o yaml, its placeholders base64-encoded", "apiVersion: v1\ndata:\n  applicationKey: WU9VUl9BUFBMSUNBVElPTl9LRVk=\n  applicationSecret: WU9VUl9BUFBMSUNBVElPTl9TRUNSRVQ=\n  consumerKey: WU9VUl9DT05TVU1FUl9LRVk=\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: ovh-credentials\n  namespace: karpenter\n", false),
        new("one real value among base64-encoded placeholders", "apiVersion: v1\ndata:\n  applicationKey: WU9VUl9BUFBMSUNBVElPTl9LRVk=\n  applicationSecret: WnE4dk4ya1A0eFI3dFkxd0U1dUk=\n  consumerKey: WU9VUl9DT05TVU1FUl9LRVk=\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: ovh-credentials\n  namespace: karpenter\n", true),
        new("a template with one real value among the placeholders", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: shop\nstringData:\n  url: <api-url>\n  token: Zq8vN2kP4xR7tY1wE5uI\n", true),
        new("a Secret with no values (filled in by a controller)", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: webhook-certs\n  namespace: cert-manager\ntype: kubernetes.io/tls\n", false),
        new("a SealedSecret", Credentials.GenericApiKeyRule.SealedExample, false),
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
                if (value is not YamlScalar { Value: { Length: > 0 } v } node || Placeholders.StandsIn(v)
                    || (field == "data" && Decoded(document, node) is { } plain && Placeholders.StandsIn(plain))
                    || SopsAgeKeySecretRule.IsAgeKeyValue(document, field, key.Value, v))
                {
                    continue;
                }
                keys.Add(key.Value);
                values.Add(v);
            }
            if (values.Count == 0)
                continue;
            sink.Report(document, document.Root.KeyNode(field), field,
                $"Secret {document.Reference.Name} has {values.Count} unencrypted value{(values.Count == 1 ? "" : "s")} in {field} ({string.Join(", ", keys)})",
                secrets: values);
        }
    }

    /// <summary>
    /// A data value as the text it decodes to (null when it is not base64 of text). kubectl create secret
    /// --dry-run=client -o yaml encodes a template's placeholders as it would real values, so a data value is judged
    /// by what the cluster would get. The decoding is the credential rules', made once per document and shared.
    /// </summary>
    private static string? Decoded(ManifestDocument document, YamlScalar node)
    {
        foreach (var line in DocumentScanLines.Of(document).Decoded)
        {
            if (ReferenceEquals(line.Node, node))
                return line.Value;
        }
        return null;
    }
}
