using Keyward.Manifests;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>Secrets passed as environment variables (secretKeyRef, envFrom secretRef) rather than mounted files.</summary>
public sealed class SecretEnvVarRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW108";
    public override string Name => "secret-env-var";
    public override string Title => "Secret passed as an environment variable";
    public override Severity Severity => Severity.Low;
    public override Category Category => Category.Secrets;
    public override string Why => "Environment variables leak: they are inherited by child processes, printed by crash handlers and debug endpoints, and not updated when the Secret is rotated.";
    public override string Fix => "Mount the Secret as a volume (readOnly) and have the application read the file.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("secretKeyRef", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1.2.3\n      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n", true),
        new("envFrom a whole Secret", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\n  namespace: shop\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: backup\n              image: restic:0.16\n              envFrom:\n                - secretRef:\n                    name: s3-credentials\n", true),
        new("a mounted Secret", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1.2.3\n      volumeMounts:\n        - name: db\n          mountPath: /run/secrets/db\n          readOnly: true\n  volumes:\n    - name: db\n      secret:\n        secretName: db\n", false),
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
                if (env.Mapping("valueFrom")?.Mapping("secretKeyRef") is { } reference)
                    sink.Report(document, reference, $"{container.Path}.env[{i}].valueFrom.secretKeyRef",
                        $"{RuleHelpers.Describe(container)} reads Secret {reference.Scalar("name")} into environment variable {env.Scalar("name")}");
            }
            foreach (var (i, from) in container.Container.Sequence("envFrom").Mappings())
            {
                if (from.Mapping("secretRef") is { } reference)
                    sink.Report(document, reference, $"{container.Path}.envFrom[{i}].secretRef",
                        $"{RuleHelpers.Describe(container)} loads all of Secret {reference.Scalar("name")} into its environment");
            }
        }
    }
}
