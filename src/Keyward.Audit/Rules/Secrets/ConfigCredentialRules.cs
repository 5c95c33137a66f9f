using Keyward.Audit.Credentials;
using Keyward.Audit.Rules.Credentials;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>Credentials stored in a ConfigMap, which is meant for non-secret configuration and is not protected like a Secret.</summary>
public sealed class ConfigMapCredentialRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    private static readonly CredentialPattern[] ValuePatterns =
    [
        .. new PrivateKeyRule().Patterns, .. new AwsKeyRule().Patterns, .. new GitHubTokenRule().Patterns, .. new GitLabTokenRule().Patterns,
        .. new SlackTokenRule().Patterns, .. new JwtRule().Patterns, .. new GcpKeyRule().Patterns, .. new AgeSecretKeyRule().Patterns,
    ];

    /// <summary>A value with none of these keywords cannot match <see cref="ValuePatterns"/>: most values are skipped with one search.</summary>
    private static KeywordLines? ValueKeywords;

    public override string Id => "KW103";
    public override string Name => "configmap-credential";
    public override string Title => "Credential in a ConfigMap";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Secrets;
    public override string Why => "ConfigMaps are readable by every role that reads configuration, are not encrypted at rest and end up in logs and dumps; a credential there is exposed to all of them as well as to the repository.";
    public override string Fix => "Move the value to a Secret (encrypted in Git with SOPS or sealed) and mount it as a file.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a password key", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-config\n  namespace: shop\ndata:\n  DB_HOST: db.shop.svc\n  DB_PASSWORD: Sup3r-s3cret-pw\n", true),
        new("an access key in a properties file", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s3\n  namespace: shop\ndata:\n  app.properties: |\n    s3.endpoint=https://s3.gra.io.cloud.ovh.net\n    s3.secret_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n", true),
        new("a GitHub token under an innocent key", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ci\n  namespace: ci\ndata:\n  REPO_AUTH: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n", true),
        new("Argo CD settings: $key references to its Secret, a password rule, OIDC claims", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-notifications-cm\n  namespace: argocd\ndata:\n  passwordPattern: \"^.{8,32}$\"\n  service.slack: |\n    token: $slack-token\n  service.email: |\n    username: $email-username\n    password: $email-password\n  oidc.config: |\n    clientSecret: $oidc.okta.clientSecret\n    requestedIDTokenClaims: {\"groups\": {\"essential\": true}}\n", false),
        new("names of Secrets are not secrets", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  TOKEN_SECRET_NAME: shop-token\n  PASSWORD_FILE: /run/secrets/db\n  LOG_LEVEL: info\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (document.Kind != "ConfigMap")
            return;
        foreach (var (key, value) in document.Root.Mapping("data").Entries())
        {
            if (value is not YamlScalar { Value: { } text } scalar)
                continue;
            if (SensitiveNames.IsSensitive(key.Value) && SensitiveNames.IsLiteralCredential(text) && !text.Contains('\n', StringComparison.Ordinal))
            {
                sink.Report(document, value, $"data.{key.Value}", $"ConfigMap {document.Reference.Name} key {key.Value} holds a credential", secrets: [text]);
                continue;
            }
            // A recognisable credential under any key name (an access key ID under DB_URL is still one).
            // Scanned as "key: value": a finding is placed at its own line of the value (the key and ": " come first).
            if ((ValueKeywords ??= KeywordLines.For(ValuePatterns)).AnyInJoined(key.Value, ": ", text)
                && CredentialScanner.Scan($"{key.Value}: {text}", ValuePatterns, document.File).FirstOrDefault() is { } match)
            {
                sink.ReportWithinValue(document, scalar, match.Offset - key.Value.Length - 2, $"data.{key.Value}",
                    $"ConfigMap {document.Reference.Name} key {key.Value} holds {match.Pattern.WithArticle}", secrets: [match.Secret]);
                continue;
            }
            // Embedded files (properties, .env, ini): look at each "name=value" or "name: value" line, and report the
            // first credential at its line.
            foreach (var range in text.AsSpan().Split('\n'))
            {
                var line = text.AsSpan(range);
                var sep = line.IndexOfAny('=', ':');
                if (sep <= 0)
                    continue;
                var name = line[..sep].Trim().Trim('"').ToString();
                var literal = line[(sep + 1)..].Trim().Trim("\"'").ToString();
                if (SensitiveNames.IsSensitive(name) && SensitiveNames.IsLiteralCredential(literal) && !literal.Contains("://", StringComparison.Ordinal))
                {
                    int lineStart = range.Start.GetOffset(text.Length) + (line.Length - line.TrimStart().Length);
                    sink.ReportWithinValue(document, scalar, lineStart, $"data.{key.Value}",
                        $"ConfigMap {document.Reference.Name} file {key.Value} sets {name} to a credential", secrets: [literal]);
                    break;
                }
            }
        }
    }
}

/// <summary>A literal credential in a container's environment.</summary>
public sealed class EnvCredentialRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW104";
    public override string Name => "env-credential";
    public override string Title => "Credential in a container env value";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Secrets;
    public override string Why => "A literal env value is part of the workload spec: it is in Git, in the API server for everyone who can read Deployments, and in kubectl describe output.";
    public override string Fix => "Put the value in a Secret and mount it as a file (or at least reference it with valueFrom.secretKeyRef).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("an API token", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: collector\n  namespace: telemetry\nspec:\n  template:\n    spec:\n      containers:\n        - name: collector\n          image: otel/collector:0.98.0\n          env:\n            - name: SERVICE_TOKEN\n              value: st-41c9a7e2b8d05f36\n", true),
        new("a value taken from a Secret", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1.2.3\n      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n        - name: TOKEN_FILE\n          value: /var/run/secrets/token\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (Workloads.FindPodSpec(document) is not { } pod)
            return;
        foreach (var container in Workloads.Containers(pod))
        {
            foreach (var (i, env) in container.Container.Sequence("env").Mappings())
            {
                var name = env.Scalar("name");
                if (env.Child("value") is YamlScalar { Value: { } value } node && SensitiveNames.IsSensitive(name) && SensitiveNames.IsLiteralCredential(value))
                    sink.Report(document, node, $"{container.Path}.env[{i}].value", $"{RuleHelpers.Describe(container)} sets {name} to a literal credential", secrets: [value]);
            }
        }
    }
}
