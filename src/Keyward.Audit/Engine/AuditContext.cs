using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// What one audit keeps while it streams through the files: every text (for excerpts and inline suppressions),
/// the documents of the kinds cross-object rules look up (roles, bindings, namespaces, policies, quotas, service
/// accounts, Flux Kustomizations), a summary of each workload, and which files are SOPS-encrypted. Other trees are
/// dropped once their file has been checked, which is what keeps memory flat on large repositories.
/// </summary>
public sealed class AuditContext
{
    /// <summary>Kinds whose documents are kept for the whole run; <see cref="OfKind"/> answers only for these.</summary>
    public static readonly IReadOnlySet<string> RetainedKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "Namespace", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
        "NetworkPolicy", "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy", "ResourceQuota", "LimitRange",
        "Kustomization",
    };

    private readonly Dictionary<string, SourceText> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ManifestDocument>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ManifestDocument>> _byKindAndNamespace = new(StringComparer.Ordinal);
    private readonly List<WorkloadSummary> _workloads = [];
    private readonly Dictionary<Rule, List<Action<FindingSink>>> _deferred = [];

    public AuditContext(IEnumerable<SourceText> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var t in texts)
            _texts[t.File] = t;
    }

    /// <summary>A context holding these documents, as if the engine had read them (for tools and tests).</summary>
    public AuditContext(IEnumerable<ManifestDocument> documents, IEnumerable<SourceText> texts)
        : this(texts)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var d in documents)
            Add(d);
    }

    public IEnumerable<SourceText> Texts => _texts.Values;

    /// <summary>
    /// The time rules judge dates against (rotation due dates): the run's, injected through the options. Null in the
    /// contexts of past commits, whose dates are history.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Every workload read so far, in reading order.</summary>
    public IReadOnlyList<WorkloadSummary> Workloads => _workloads;

    /// <summary>
    /// Files that carry SOPS metadata (relative paths, forward slashes). A kustomize build is one name here, under the
    /// folder that was rendered; <see cref="RenderedSops"/> says which files its SOPS objects came from.
    /// </summary>
    public ISet<string> SopsFiles { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The SOPS objects of each kustomize build in <see cref="SopsFiles"/>, by the files they came from.</summary>
    public IReadOnlyDictionary<string, RenderedSopsObjects> RenderedSops => _renderedSops;

    private readonly Dictionary<string, RenderedSopsObjects> _renderedSops = new(StringComparer.Ordinal);

    /// <summary>The second object with SOPS metadata of each file that has more than one (one MAC covers them all).</summary>
    public IReadOnlyDictionary<string, ManifestDocument> SopsFilesWithSeveralObjects => _secondSopsObject;

    private readonly Dictionary<string, ManifestDocument> _secondSopsObject = new(StringComparer.Ordinal);

    public SourceText? Text(string file) => _texts.GetValueOrDefault(file);

    private readonly Dictionary<string, HashSet<string>> _secretNamespaces = new(StringComparer.Ordinal);

    /// <summary>
    /// The namespaces the repository defines a Secret of that name in, or null when it defines none. What makes a
    /// Secret counts: a Secret, a SealedSecret, an ExternalSecret's target, a SecretProviderClass's secretObjects,
    /// a Vault operator's destination, a 1Password item, a cert-manager Certificate. "" stands for any namespace: a
    /// Secret with none, one that reflector, replicator or kubed copies elsewhere, a ClusterExternalSecret's.
    /// </summary>
    public IReadOnlySet<string>? SecretNamespaces(string name) => _secretNamespaces.GetValueOrDefault(name);

    internal static bool MakesSecrets(string? kind) => kind is "Secret" or "SealedSecret" or "ExternalSecret" or "ClusterExternalSecret"
        or "SecretProviderClass" or "VaultStaticSecret" or "VaultDynamicSecret" or "VaultPKISecret" or "OnePasswordItem" or "Certificate";

    private void RecordSecrets(ManifestDocument document)
    {
        var spec = document.Root.Mapping("spec");
        var ns = document.Reference.Namespace ?? "";
        switch (document.Kind)
        {
            case "Secret":
                var annotations = document.Root.Mapping("metadata")?.Mapping("annotations");
                bool copied = annotations is not null && (annotations["reflector.v1.k8s.emberstack.com/reflection-auto-enabled"] is not null
                    || annotations["replicator.v1.mittwald.de/replicate-to"] is not null || annotations["kubed.appscode.com/sync"] is not null);
                RecordSecret(document.Reference.Name, copied ? "" : ns);
                break;
            case "SealedSecret":
                RecordSecret(spec?.Mapping("template")?.Mapping("metadata")?.Scalar("name") ?? document.Reference.Name, ns);
                break;
            case "ExternalSecret":
                RecordSecret(spec?.Mapping("target")?.Scalar("name") ?? document.Reference.Name, ns);
                break;
            case "ClusterExternalSecret":
                RecordSecret(spec?.Mapping("externalSecretSpec")?.Mapping("target")?.Scalar("name")
                    ?? spec?.Scalar("externalSecretName") ?? document.Reference.Name, "");
                break;
            case "SecretProviderClass":
                var secretObjects = spec?.Sequence("secretObjects");
                foreach (var (_, secretObject) in secretObjects.Mappings())
                    RecordSecret(secretObject.Scalar("secretName"), ns);
                break;
            case "VaultStaticSecret" or "VaultDynamicSecret" or "VaultPKISecret":
                RecordSecret(spec?.Mapping("destination")?.Scalar("name"), ns);
                break;
            case "OnePasswordItem":
                RecordSecret(document.Reference.Name, ns);
                break;
            case "Certificate" when document.Reference.ApiVersion?.StartsWith("cert-manager.io/", StringComparison.Ordinal) == true:
                RecordSecret(spec?.Scalar("secretName"), ns);
                break;
        }
    }

    private void RecordSecret(string? name, string ns)
    {
        if (string.IsNullOrEmpty(name))
            return;
        if (!_secretNamespaces.TryGetValue(name, out var namespaces))
            _secretNamespaces[name] = namespaces = new HashSet<string>(StringComparer.Ordinal);
        namespaces.Add(ns);
    }

    /// <summary>Records what later checks need of a document read.</summary>
    public void Add(ManifestDocument document) => Add(document, ObjectSite.Of(document));

    /// <summary><see cref="Add(ManifestDocument)"/> with the document's site already taken.</summary>
    internal void Add(ManifestDocument document, ObjectSite site)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (MakesSecrets(document.Kind))
            RecordSecrets(document);
        if (document.Root.Child("sops") is not null)
            RecordSops(document);
        if (document.Kind is { } kind && RetainedKinds.Contains(kind))
        {
            if (!_byKind.TryGetValue(kind, out var list))
                _byKind[kind] = list = [];
            list.Add(document);
            var key = KindAndNamespace(kind, document.Reference.Namespace);
            if (!_byKindAndNamespace.TryGetValue(key, out var inNamespace))
                _byKindAndNamespace[key] = inNamespace = [];
            inNamespace.Add(document);
        }
        if (WorkloadSummary.Of(document, site) is { } workload)
        {
            _workloads.Add(workload);
            KeepLine(document.File, workload.NamespacePosition.Line);
            KeepLine(document.File, workload.TemplateMetadataPosition.Line);
        }
    }

    private void RecordSops(ManifestDocument document)
    {
        bool rendered = document.File.EndsWith(AuditInputs.RenderedName, StringComparison.Ordinal);
        // A kustomize build puts the objects of many files in one output: several SOPS objects there are no sign of a
        // file holding several (each source file has its own MAC), so only source files are counted.
        // A document with no kind is no object: a trailing --- that sops gave metadata of its own.
        if (!SopsFiles.Add(document.File) && document.Kind is not null && !rendered)
            _secondSopsObject.TryAdd(document.File, document);
        if (!rendered)
            return;
        if (!_renderedSops.TryGetValue(document.File, out var objects))
            _renderedSops[document.File] = objects = new RenderedSopsObjects();
        var sources = Text(document.File)?.DocumentSources;
        var source = sources is not null && document.DocumentIndex < sources.Count ? sources[document.DocumentIndex] : null;
        // Two objects of one build from one source file: that file holds several under one MAC, as if read alone.
        if (!objects.Add(source) && document.Kind is not null)
            _secondSopsObject.TryAdd(source!, document);
    }

    /// <summary>A line of a file that a later check will report on, kept when the file's text is let go.</summary>
    public void KeepLine(string file, int line) => Text(file)?.KeepLine(line);

    /// <summary>Documents of a retained kind, in reading order. Asking for another kind is a bug in a rule.</summary>
    public IReadOnlyList<ManifestDocument> OfKind(string kind) =>
        _byKind.TryGetValue(Retained(kind), out var list) ? list : [];

    /// <summary>
    /// Documents of a retained kind whose manifest names namespace <paramref name="ns"/> (null: names none), in
    /// reading order: per-workload lookups stay proportional to the namespace, not to the repository.
    /// </summary>
    public IReadOnlyList<ManifestDocument> OfKind(string kind, string? ns) =>
        _byKindAndNamespace.TryGetValue(KindAndNamespace(Retained(kind), ns), out var list) ? list : [];

    private static string Retained(string kind) => RetainedKinds.Contains(kind) ? kind
        : throw new InvalidOperationException($"documents of kind {kind} are not kept; add it to AuditContext.RetainedKinds");

    private static string KindAndNamespace(string kind, string? ns) => ns is null ? kind + "\u0001" : kind + "\0" + ns;

    /// <summary>The namespace of a namespaced object; null when the manifest does not say (it lands in the kubectl context's).</summary>
    public static string? NamespaceOf(ManifestDocument document) => document?.Reference.Namespace;

    public ManifestDocument? FindRole(string kind, string? ns, string name) =>
        (kind == "ClusterRole" ? OfKind(kind) : OfKind(kind, ns)).FirstOrDefault(r => r.Reference.Name == name);

    /// <summary>
    /// A check of a document that needs objects read later (its ServiceAccount may be in another file): it runs
    /// once every file has been read, before the rule's <see cref="Rule.CheckRepository"/>, in the order deferred.
    /// </summary>
    public void Defer(Rule rule, Action<FindingSink> check)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(check);
        if (!_deferred.TryGetValue(rule, out var list))
            _deferred[rule] = list = [];
        list.Add(check);
    }

    internal IReadOnlyList<Action<FindingSink>> DeferredFor(Rule rule) => _deferred.GetValueOrDefault(rule) ?? (IReadOnlyList<Action<FindingSink>>)[];
}
