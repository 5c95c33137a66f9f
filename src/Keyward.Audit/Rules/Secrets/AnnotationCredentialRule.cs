using Keyward.Audit.Credentials;
using Keyward.Audit.Rules.Credentials;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>
/// Credentials in annotations, including a Secret's data copied into kubectl's last-applied-configuration
/// annotation (readable by anyone who can read the object's metadata).
/// </summary>
public sealed class AnnotationCredentialRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    private static readonly CredentialPattern[] Patterns =
    [
        .. new PrivateKeyRule().Patterns, .. new AwsKeyRule().Patterns, .. new GitHubTokenRule().Patterns, .. new JwtRule().Patterns,
        .. new SlackTokenRule().Patterns, .. new GitLabTokenRule().Patterns, .. new GenericApiKeyRule().Patterns,
    ];

    public override string Id => "KW105";
    public override string Name => "annotation-credential";
    public override string Title => "Credential in an annotation";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Secrets;
    public override string Why => "Annotations are metadata: RBAC that hides Secret values still shows annotations, and kubectl apply copies a Secret's whole data into the last-applied-configuration annotation.";
    public override string Fix => "Remove the credential from the annotation (for last-applied-configuration, apply Secrets with server-side apply or create them out of band) and rotate it.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("last-applied-configuration of a Secret", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: shop\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"apiVersion\":\"v1\",\"data\":{\"token\":\"c2VjcmV0\"},\"kind\":\"Secret\"}'\n", true),
        new("a token in an annotation", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    monitoring.example.com/token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n", true),
        new("ordinary annotations", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    prometheus.io/scrape: \"true\"\n    keyward.io/ignore: KW805 reviewed\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var (key, value) in document.Root.Mapping("metadata")?.Mapping("annotations").Entries() ?? [])
        {
            if (value is not YamlScalar { Value: { Length: > 0 } text })
                continue;
            var path = $"metadata.annotations.{key.Value}";
            if (key.Value == "kubectl.kubernetes.io/last-applied-configuration" && document.Kind == "Secret"
                && (text.Contains("\"data\"", StringComparison.Ordinal) || text.Contains("\"stringData\"", StringComparison.Ordinal)))
            {
                sink.Report(document, value, path, "last-applied-configuration annotation holds a copy of the Secret's data", secrets: [text]);
                continue;
            }
            foreach (var match in CredentialScanner.Scan($"{key.Value}: {text}", Patterns, document.File))
            {
                sink.Report(document, value, path, $"annotation {key.Value} holds {match.Pattern.WithArticle}", secrets: [match.Secret]);
                break;
            }
        }
    }
}
