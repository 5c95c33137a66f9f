using System.Text.RegularExpressions;

namespace Keyward.Audit.Rules.Cloud;

/// <summary>
/// OVHcloud API access rules broader than one Kubernetes cluster, in createToken URLs and accessRules JSON,
/// graded like the Karpenter OVHcloud security guide: /* or /cloud/* critical, a whole project high, all MKS
/// clusters of a project medium, one cluster (the recommendation) not reported.
/// </summary>
public sealed partial class OvhAccessRulesRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    [GeneratedRegex(@"createToken/?\?(?<query>[^\s""'`<>)]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CreateToken();

    [GeneratedRegex(@"(?:GET|POST|PUT|DELETE)=(?<path>/[^&\s""'`<>)]*)", RegexOptions.CultureInvariant)]
    private static partial Regex QueryRule();

    [GeneratedRegex(@"""path""\s*:\s*""(?<path>/[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonRule();

    public override string Id => "KW901";
    public override string Name => "ovh-broad-access-rules";
    public override string Title => "OVHcloud API access broader than one cluster";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.CloudCredentials;
    public override string Why => "An OVHcloud consumer key can do whatever its access rules allow: a project-wide rule also covers VMs, storage, networks and other clusters, and /* covers the whole account.";
    public override string Fix => "Restrict the rules to /cloud/project/{serviceName}/kube/{kubeId}/... paths of the one cluster the tool manages, and create one credential per cluster.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("project-wide token URL", "https://api.ovh.com/createToken/?GET=/cloud/project/{serviceName}/*&POST=/cloud/project/{serviceName}/*\n", true, "docs/setup.md"),
        new("account-wide accessRules", "{\"accessRules\": [{\"method\": \"GET\", \"path\": \"/*\"}, {\"method\": \"POST\", \"path\": \"/*\"}]}\n", true, "hack/credential.json"),
        new("all clusters of a project", "curl -XPOST https://eu.api.ovh.com/1.0/auth/credential -d '{\"accessRules\":[{\"method\":\"GET\",\"path\":\"/cloud/project/abc/kube/*\"}]}'\n", true, "hack/token.sh"),
        new("the rules keyward recorded on a stored credential", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/ovh-rules: \"GET /cloud/*, POST /cloud/*\"\n", true, "ovh.sops.yaml"),
        new("one cluster (the recommendation)", "https://api.ovh.com/createToken/?GET=/cloud/project/{serviceName}/kube/{kubeId}&GET=/cloud/project/{serviceName}/kube/{kubeId}/nodepool/*&PUT=/cloud/project/{serviceName}/kube/{kubeId}/nodepool/*\n", false, "docs/setup.md"),
    ];

    public override void CheckText(SourceText text, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sink);
        var content = text.Text;
        bool hasToken = content.Contains("createToken", StringComparison.Ordinal);
        bool hasRules = content.Contains("accessRules", StringComparison.Ordinal);
        bool hasRecorded = content.Contains(RecordedRules, StringComparison.Ordinal);
        if (!hasToken && !hasRules && !hasRecorded)
            return;
        if (hasRecorded)
            GradeRecorded(text, sink);
        if (hasToken)
        {
            foreach (Match url in CreateToken().Matches(content))
            {
                foreach (Match rule in QueryRule().Matches(url.Groups["query"].Value))
                    Grade(text, sink, rule.Groups["path"].Value, url.Groups["query"].Index + rule.Groups["path"].Index, "createToken URL");
            }
        }
        if (hasRules)
        {
            foreach (Match rule in JsonRule().Matches(content))
                Grade(text, sink, rule.Groups["path"].Value, rule.Groups["path"].Index, "accessRules");
        }
    }

    /// <summary>The annotation keyward ovh secret and ovh rotate write: <c>"GET /cloud/project/P/kube/K, PUT ..."</c>.</summary>
    private const string RecordedRules = "keyward.io/ovh-rules";

    private static void GradeRecorded(SourceText text, FindingSink sink)
    {
        var content = text.Text;
        for (int at = content.IndexOf(RecordedRules, StringComparison.Ordinal); at >= 0; at = content.IndexOf(RecordedRules, at + 1, StringComparison.Ordinal))
        {
            // Not keyward.io/ovh-rules-fingerprint: the name ends at a quote or the colon.
            int i = at + RecordedRules.Length;
            while (i < content.Length && content[i] is '"' or '\'')
                i++;
            if (i >= content.Length || content[i] != ':')
                continue;
            int end = content.IndexOfAny(['\n', '\r'], i);
            end = end < 0 ? content.Length : end;
            int start = i + 1;
            while (start < end && content[start] is ' ' or '\t' or '"' or '\'')
                start++;
            // "METHOD PATH" entries, comma-separated; the path runs to the next comma, quote or space.
            for (int entry = start; entry < end;)
            {
                int comma = content.IndexOf(',', entry, end - entry);
                int stop = comma < 0 ? end : comma;
                int slash = content.IndexOf('/', entry, stop - entry);
                if (slash >= 0)
                {
                    int pathEnd = slash;
                    while (pathEnd < stop && content[pathEnd] is not (' ' or '"' or '\'' or '\t'))
                        pathEnd++;
                    Grade(text, sink, content[slash..pathEnd], slash, "recorded access rule");
                }
                entry = stop + 1;
            }
        }
    }

    private static void Grade(SourceText text, FindingSink sink, string path, int offset, string where)
    {
        var (severity, scope) = Classify(path);
        if (severity is { } s)
            sink.Report(text, offset, $"{where} grants {path}: {scope}", s);
    }

    /// <summary>The risk levels of the Karpenter OVHcloud guide; null for rules within one cluster (or not about /cloud).</summary>
    internal static (Severity?, string) Classify(string path)
    {
        var segments = path.Trim().TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments[0] == "*")
            return (Severity.Critical, "the whole account");
        if (segments[0] != "cloud")
            return (null, "");
        if (segments.Length == 1 || segments[1] == "*")
            return (Severity.Critical, "all Public Cloud projects");
        if (segments[1] != "project")
            return (null, "");
        if (segments.Length <= 3 || segments[2] == "*" || segments[3] == "*")
            return (Severity.High, "an entire project (VMs, storage, network)");
        if (segments[3] != "kube")
            return (null, "");
        if (segments.Length <= 4 || segments[4] == "*")
            return (Severity.Medium, "all MKS clusters of the project");
        return (null, "");
    }
}
