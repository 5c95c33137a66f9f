using Keyward.Manifests;

namespace Keyward.Audit.Rules.Gitops;

/// <summary>A manifest that does not parse: reported where the parser stopped, and the scan goes on.</summary>
public sealed class ParseErrorRule : Rule
{
    public override string Id => "KW001";
    public override string Name => "parse-error";
    public override string Title => "Manifest does not parse";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Gitops;
    public override string Why => "A file that does not parse is not checked by any other rule, and breaks the GitOps sync that applies it.";
    public override string Fix => "Fix the YAML or JSON syntax at the reported line (kubectl apply --dry-run=client -f FILE shows the same error).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("bad indentation", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   namespace: y\n", true),
        new("valid YAML", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: y\n", false),
    ];
}

/// <summary>Flux Kustomizations that apply SOPS-encrypted files without spec.decryption.</summary>
public sealed class FluxDecryptionRule : Rule
{
    public override string Id => "KW910";
    public override string Name => "flux-sops-without-decryption";
    public override string Title => "Flux applies SOPS files without decryption";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Gitops;
    public override string Why => "Without spec.decryption Flux applies the encrypted file as is: the sync fails, or an ENC[...] string becomes the Secret's value and the workload breaks.";
    public override string Fix => "Add spec.decryption with provider: sops and a secretRef to the Secret holding the age key (created in the cluster, not committed).";

    private const string SopsSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a Kustomization over a folder with SOPS files", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: shop\n  namespace: flux-system\nspec:\n  path: ./\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n---\n" + SopsSecret, true),
        new("with decryption", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: shop\n  namespace: flux-system\nspec:\n  path: ./\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n---\n" + SopsSecret, false),
        new("no SOPS file under its path", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: shop\n  namespace: flux-system\nspec:\n  path: ./apps/shop\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n", false),
    ];

    public override void CheckRepository(AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var kustomization in context.OfKind("Kustomization"))
        {
            if (kustomization.Reference.ApiVersion?.StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal) != true)
                continue;
            var spec = kustomization.Root.Mapping("spec");
            if (spec is null || spec.Child("decryption") is not null)
                continue;
            var path = (spec.Scalar("path") ?? "./").Trim().TrimStart('.').Trim('/');
            var encrypted = context.SopsFiles.Where(f => path.Length == 0 || f.StartsWith(path + "/", StringComparison.Ordinal) || f.Contains("/" + path + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (encrypted.Count > 0)
                sink.Report(kustomization, spec.Child("path") ?? spec, "spec.decryption",
                    $"Kustomization {kustomization.Reference.Name} applies {encrypted.Count} SOPS-encrypted file{(encrypted.Count == 1 ? "" : "s")} ({encrypted[0]}{(encrypted.Count > 1 ? ", ..." : "")}) without spec.decryption");
        }
    }
}
