using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>Secret values in Helm values files (<c>secrets.apiKey: ...</c>), which charts turn into Secrets at install time.</summary>
public sealed class HelmValuesSecretRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW106";
    public override string Name => "helm-values-secret";
    public override string Title => "Secret value in Helm values";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Secrets;
    public override string Why => "Values files are committed next to the chart and passed around in CI; a secret in them is as exposed as a plaintext Secret, and Helm also stores it in the release Secret.";
    public override string Fix => "Leave the value empty in the committed values and point the chart at an existing Secret (secrets.existingSecret), or keep a values.enc.yaml encrypted with SOPS (helm-secrets, Flux valuesFrom).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("the telemetry chart's secrets", "secrets:\n  enabled: true\n  apiKey: \"tk_9f3Kq2LmX8vR7pWz4NcY6bHd\"\n  serviceToken: \"svc-7Hq2nR8vLx4Tz9Wb\"\n", true, "values.yaml"),
        new("a production values file", "postgresql:\n  auth:\n    password: pr0d-Db-pa55w0rd\n", true, "values-prod.yaml"),
        new("an existing Secret instead", "secrets:\n  enabled: false\n  existingSecret: telemetry-auth\n  apiKey: \"\"\n", false, "values.yaml"),
        new("placeholders to fill in", "secrets:\n  apiKey: \"your-secure-api-key-here\"\n  serviceToken: \"<SERVICE_TOKEN>\"\n", false, "values.yaml"),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        var name = Path.GetFileName(document.File);
        if (document.Kind is not null || !name.StartsWith("values", StringComparison.OrdinalIgnoreCase) || document.Root.Child("sops") is not null)
            return;
        Walk(document, sink, document.Root, "");
    }

    private static void Walk(ManifestDocument document, FindingSink sink, YamlMap map, string prefix)
    {
        foreach (var (key, value) in map.Entries())
        {
            var path = prefix.Length == 0 ? key.Value : $"{prefix}.{key.Value}";
            switch (value)
            {
                case YamlMap child:
                    Walk(document, sink, child, path);
                    break;
                case YamlScalar { Value: { } text } when SensitiveNames.IsSensitive(key.Value) && SensitiveNames.IsLiteralCredential(text):
                    sink.Report(document, value, path, $"Helm value {path} holds a secret", secrets: [text]);
                    break;
            }
        }
    }
}
