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
        foreach (var kustomization in FluxKustomizations(context))
        {
            var spec = kustomization.Root.Mapping("spec");
            if (spec is null || spec.Child("decryption") is not null)
                continue;
            var applied = context.SopsFiles.Where(f => Applies(kustomization, f)).ToList();
            if (applied.Count > 0)
                sink.Report(kustomization, spec.Child("path") ?? spec, "spec.decryption",
                    $"Kustomization {kustomization.Reference.Name} applies {Describe(context, applied)} without spec.decryption");
        }
    }

    /// <summary>
    /// "2 SOPS-encrypted files (a.yaml, ...)". A kustomize build counts as the files its SOPS objects came from, so a
    /// folder says the same rendered or not, and a file applied alone and through a build is one file. Objects whose
    /// file kustomize did not name are counted as objects of their build.
    /// </summary>
    private static string Describe(AuditContext context, IEnumerable<string> applied)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var builds = new SortedSet<string>(StringComparer.Ordinal);
        int unknown = 0;
        foreach (var file in applied)
        {
            if (!context.RenderedSops.TryGetValue(file, out var rendered))
            {
                files.Add(file);
                continue;
            }
            files.UnionWith(rendered.Files);
            if (rendered.OfUnknownSource > 0)
            {
                unknown += rendered.OfUnknownSource;
                builds.Add(file);
            }
        }
        var parts = new List<string>(2);
        if (files.Count > 0)
            parts.Add($"{files.Count} SOPS-encrypted file{(files.Count == 1 ? "" : "s")} ({FirstOf(files)})");
        if (unknown > 0)
            parts.Add($"{unknown} SOPS-encrypted object{(unknown == 1 ? "" : "s")} of unknown source ({FirstOf(builds)})");
        return string.Join(" and ", parts);
    }

    private static string FirstOf(SortedSet<string> names) => names.Min + (names.Count > 1 ? ", ..." : "");

    /// <summary>Does the Flux Kustomization's spec.path hold <paramref name="file"/> (a path as reported)?</summary>
    internal static bool Applies(ManifestDocument kustomization, string file)
    {
        var path = (kustomization.Root.Mapping("spec")?.Scalar("path") ?? "./").Trim().TrimStart('.').Trim('/');
        return path.Length == 0 || file.StartsWith(path + "/", StringComparison.Ordinal) || file.Contains("/" + path + "/", StringComparison.Ordinal);
    }

    internal static IEnumerable<ManifestDocument> FluxKustomizations(AuditContext context) =>
        context.OfKind("Kustomization").Where(k => k.Reference.ApiVersion?.StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal) == true);
}

/// <summary>
/// A SOPS file with several objects, under a Flux Kustomization. sops computes one MAC over every document of a file,
/// and Flux's kustomize-controller decrypts each object alone, checking that MAC against the one object: it fails.
/// </summary>
public sealed class FluxSopsSeveralObjectsRule : Rule
{
    public override string Id => "KW911";
    public override string Name => "flux-sops-several-objects";
    public override string Title => "SOPS file with several objects applied by Flux";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Gitops;
    public override string Why => "sops (and keyward encrypt) protects a file of several YAML documents with one MAC over all of them. Flux's kustomize-controller decrypts each object on its own and checks that MAC against that object alone, so every object of the file fails to decrypt and the Kustomization does not apply.";
    public override string Fix => "Put each object in its own file and encrypt each one (keyward encrypt --in-place FILE); kustomize's resources list takes the files.";

    private const string TwoSecrets = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: shop\nstringData:\n  token: ENC[AES256_GCM,data:dG9r,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n";

    private const string Flux = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: shop\n  namespace: flux-system\nspec:\n  path: ./\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";

    // The examples are one file each: the Kustomization is a document of it, with no sops metadata of its own.
    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("two encrypted Secrets in one file under a Flux Kustomization", Flux + "---\n" + TwoSecrets, true),
        new("one encrypted Secret in the file", Flux + "---\n" + TwoSecrets[..TwoSecrets.IndexOf("---", StringComparison.Ordinal)], false),
        new("several objects, no Flux Kustomization (sops itself decrypts them)", TwoSecrets, false),
    ];

    public override void CheckRepository(AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        var several = context.SopsFilesWithSeveralObjects;
        if (several.Count == 0)
            return;
        var kustomizations = FluxDecryptionRule.FluxKustomizations(context).ToList();
        foreach (var file in several.Keys.Order(StringComparer.Ordinal))
        {
            if (kustomizations.FirstOrDefault(k => FluxDecryptionRule.Applies(k, file)) is { } kustomization)
            {
                sink.Report(several[file], null, null,
                    $"{file} holds several SOPS-encrypted objects under one MAC; Kustomization {kustomization.Reference.Name} decrypts each alone and will reject them");
            }
        }
    }
}
