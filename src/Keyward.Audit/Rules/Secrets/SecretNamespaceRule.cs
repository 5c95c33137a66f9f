using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>
/// A workload that refers to a Secret the repository defines only in other namespaces. A pod reads Secrets of its
/// own namespace only, so it will not start (or an optional reference is silently empty). The CloudSigma design's
/// open question, one shared credentials Secret read by controllers in per-cluster namespaces, is this mistake.
/// </summary>
public sealed class SecretNamespaceRule : Rules.Hardening.PodCheck
{
    public override string Id => "KW109";
    public override string Name => "secret-in-another-namespace";
    public override string Title => "Workload refers to a Secret of another namespace";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Secrets;
    public override string Why => "secretKeyRef, envFrom, secret volumes and imagePullSecrets name a Secret of the pod's own namespace. When the repository defines that Secret only elsewhere (as a Secret, SealedSecret, ExternalSecret, SecretProviderClass secret object, Vault or 1Password operator destination or cert-manager Certificate, and not copied by reflector, replicator or kubed), the pod fails with CreateContainerConfigError (or an optional reference stays empty), and the tempting fix, copying a shared credential into every namespace, multiplies where it can leak.";
    public override string Fix => "Create the Secret in the workload's namespace (one credential per namespace, each scoped to what that namespace needs), or move the workload; Secrets cannot be shared across namespaces.";

    private const string SharedSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cloudsigma-impersonation\n  namespace: capcs-system\nstringData:\n  client-id: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n---\n";

    private static string Ccm(string ns) => $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cloudsigma-ccm\n  namespace: {ns}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ccm\n          image: ccm:1.0\n          env:\n            - name: CLOUDSIGMA_CLIENT_ID\n              valueFrom:\n                secretKeyRef:\n                  name: cloudsigma-impersonation\n                  key: client-id\n";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a per-cluster CCM reading the shared Secret of capcs-system", SharedSecret + Ccm("cluster-a"), true),
        new("the Secret in the workload's namespace", SharedSecret + Ccm("capcs-system"), false),
        new("a Secret created outside the repository", Ccm("cluster-a"), false),
        new("made in the workload's namespace by the CSI driver's SecretProviderClass", SharedSecret + "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: cloudsigma\n  namespace: cluster-a\nspec:\n  provider: vault\n  secretObjects:\n    - secretName: cloudsigma-impersonation\n      type: Opaque\n---\n" + Ccm("cluster-a"), false),
        new("copied to every namespace by reflector", SharedSecret.Replace("  namespace: capcs-system\n", "  namespace: capcs-system\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflection-allowed: \"true\"\n    reflector.v1.k8s.emberstack.com/reflection-auto-enabled: \"true\"\n", StringComparison.Ordinal) + Ccm("cluster-a"), false),
    ];

    protected override void Check(PodSpecLocation pod, AuditContext context, FindingSink sink)
    {
        if (pod.Document.Reference.Namespace is not { } ns)
            return; // applied to whichever namespace kubectl or Flux targets
        var references = References(pod);
        if (references.Count == 0)
            return;
        var site = ObjectSite.Of(pod.Document);
        var (kind, name) = (pod.Document.Kind, pod.Document.Reference.Name);
        foreach (var reference in references)
            context.KeepLine(pod.Document.File, reference.Node.Line);
        // The Secret may be defined in a file not read yet.
        context.Defer(this, deferredSink =>
        {
            foreach (var reference in references)
            {
                if (context.SecretNamespaces(reference.Secret) is not { Count: > 0 } defined || defined.Contains(ns) || defined.Contains(""))
                    continue;
                deferredSink.Report(site, reference.Node.Position, reference.Path,
                    $"{kind} {name} in {ns} refers to Secret {reference.Secret}, which this repository defines only in {string.Join(", ", defined.Order(StringComparer.Ordinal))}");
            }
        });
    }

    /// <summary>Every Secret the pod names: env, envFrom, volumes (plain and projected) and image pull secrets.</summary>
    private static List<SecretReference> References(PodSpecLocation pod)
    {
        // Paths are made only for what is found: a repository has far more env values than Secret references.
        var found = new List<SecretReference>();
        void Add(YamlMap holder, string key, string path)
        {
            if (holder.Child(key) is YamlScalar { Value: { Length: > 0 } secret } node)
                found.Add(new SecretReference(secret, node, $"{path}.{key}"));
        }
        foreach (var container in Workloads.Containers(pod))
        {
            foreach (var (i, env) in container.Container.Sequence("env").Mappings())
            {
                if (env.Mapping("valueFrom")?.Mapping("secretKeyRef") is { } reference)
                    Add(reference, "name", $"{container.Path}.env[{i}].valueFrom.secretKeyRef");
            }
            foreach (var (i, from) in container.Container.Sequence("envFrom").Mappings())
            {
                if (from.Mapping("secretRef") is { } reference)
                    Add(reference, "name", $"{container.Path}.envFrom[{i}].secretRef");
            }
        }
        foreach (var (i, volume) in pod.Spec.Sequence("volumes").Mappings())
        {
            if (volume.Mapping("secret") is { } secret)
                Add(secret, "secretName", $"{pod.Path}.volumes[{i}].secret");
            var sources = volume.Mapping("projected")?.Sequence("sources");
            foreach (var (j, source) in sources.Mappings())
            {
                if (source.Mapping("secret") is { } projected)
                    Add(projected, "name", $"{pod.Path}.volumes[{i}].projected.sources[{j}].secret");
            }
        }
        foreach (var (i, pull) in pod.Spec.Sequence("imagePullSecrets").Mappings())
            Add(pull, "name", $"{pod.Path}.imagePullSecrets[{i}]");
        return found;
    }

    // A class, not a tuple: a list of tuples is generic code no ReadyToRun image holds, compiled on every run.
    private sealed record SecretReference(string Secret, YamlValue Node, string Path);
}
