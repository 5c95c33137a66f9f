using System.Text.RegularExpressions;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

namespace Keyward.Audit.Rules.Cloud;

/// <summary>
/// OVHcloud API access rules broader than one Kubernetes cluster, wherever a repository holds them: createToken URLs
/// (every form of the page, percent-encoded or not), <c>accessRules</c> JSON, and the rules keyward recorded on a
/// stored credential. Each rule is graded by the grader <c>keyward ovh check</c> uses, on the Karpenter OVHcloud
/// security guide's scale: anything above minimal (one cluster, one DNS zone's records) is a finding at its level.
/// </summary>
public sealed partial class OvhAccessRulesRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    // The token creation page: createToken/?..., createToken?... or createToken/index.cgi?... (the go-ovh README's form).
    [GeneratedRegex(@"createToken(?:/index\.cgi|/)?\?(?<query>[^\s""'`<>)\]]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CreateToken();

    // One flat JSON object; accessRules entries are {"method": ..., "path": ...} in either order.
    [GeneratedRegex(@"\{[^{}]*""path""\s*:\s*""(?<path>/[^""]*)""[^{}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex JsonRule();

    [GeneratedRegex(@"""method""\s*:\s*""(?<method>[A-Za-z]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonMethod();

    public override string Id => "KW901";
    public override string Name => "ovh-broad-access-rules";
    public override string Title => "OVHcloud API access broader than one cluster";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.CloudCredentials;
    public override string Why => "An OVHcloud consumer key can do whatever its access rules allow: a project-wide rule also covers VMs, storage, networks and other clusters, /me/* the account's own API keys, and /* the whole account.";
    public override string Fix => "Restrict the rules to /cloud/project/{serviceName}/kube/{kubeId}/... paths of the one cluster the tool manages (keyward ovh rules --profile prints them), and create one credential per cluster.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("project-wide token URL", "https://api.ovh.com/createToken/?GET=/cloud/project/{serviceName}/*&POST=/cloud/project/{serviceName}/*\n", true, "docs/setup.md"),
        new("account-wide accessRules", "{\"accessRules\": [{\"method\": \"GET\", \"path\": \"/*\"}, {\"method\": \"POST\", \"path\": \"/*\"}]}\n", true, "hack/credential.json"),
        new("all clusters of a project", "curl -XPOST https://eu.api.ovh.com/1.0/auth/credential -d '{\"accessRules\":[{\"method\":\"GET\",\"path\":\"/cloud/project/abc/kube/*\"}]}'\n", true, "hack/token.sh"),
        new("the account's own API keys (a DNS webhook's README)", "{\"accessRules\": [{\"method\": \"GET\", \"path\": \"/me/*\"}, {\"method\": \"POST\", \"path\": \"/domain/zone/*\"}]}\n", true, "webhook/credential.json"),
        new("the go-ovh README's URL form", "Create a token at https://eu.api.ovh.com/createToken/index.cgi?GET=/*&POST=/*&PUT=/*&DELETE=/*\n", true, "README.md"),
        new("a percent-encoded URL", "open \"https://eu.api.ovh.com/createToken/?GET=%2Fcloud%2F%2A&PUT=%2Fcloud%2F%2A\"\n", true, "hack/token.sh"),
        new("a star cutting the cluster id", "https://api.ovh.com/createToken/?GET=/cloud/project/abc/kube/k8s*\n", true, "docs/setup.md"),
        new("the rules keyward recorded on a stored credential", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/ovh-rules: \"GET /cloud/*, POST /cloud/*\"\n", true, "ovh.sops.yaml"),
        new("one cluster (the recommendation)", "https://api.ovh.com/createToken/?GET=/cloud/project/{serviceName}/kube/{kubeId}&GET=/cloud/project/{serviceName}/kube/{kubeId}/nodepool/*&PUT=/cloud/project/{serviceName}/kube/{kubeId}/nodepool/*\n", false, "docs/setup.md"),
        new("external-dns's rules as keyward ovh rules --profile external-dns prints them (listing the zones is what it needs)", "https://eu.api.ovh.com/createToken/?GET=/domain/zone&GET=/domain/zone/example.com/soa&GET=/domain/zone/example.com/record&GET=/domain/zone/example.com/record/*&POST=/domain/zone/example.com/record&PUT=/domain/zone/example.com/record/*&DELETE=/domain/zone/example.com/record/*&POST=/domain/zone/example.com/refresh\n", false, "docs/external-dns.md"),
        new("the records of one DNS zone", "{\"accessRules\": [{\"path\": \"/domain/zone/example.com/record/*\", \"method\": \"POST\"}, {\"method\": \"POST\", \"path\": \"/domain/zone/example.com/refresh\"}]}\n", false, "cert-manager/credential.json"),
    ];

    public override void CheckText(SourceText text, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sink);
        var content = text.Text;
        if (content.Contains(RecordedRules, StringComparison.Ordinal))
            GradeRecorded(text, sink);
        if (content.Contains("createToken", StringComparison.Ordinal))
        {
            foreach (Match url in CreateToken().Matches(content))
                GradeSet(text, sink, FromQuery(content, url.Groups["query"]), url.Index, "createToken URL");
        }
        if (content.Contains("accessRules", StringComparison.Ordinal))
        {
            var found = new List<Found>();
            foreach (Match entry in JsonRule().Matches(content))
            {
                var path = entry.Groups["path"];
                var method = JsonMethod().Match(entry.Value);
                // A path without its method is graded as a write, the worst it can be.
                found.Add(new Found(new AccessRule(method.Success ? method.Groups["method"].Value.ToUpperInvariant() : "DELETE", path.Value), path.Index));
            }
            GradeSet(text, sink, found, found.Count > 0 ? found[0].Offset : 0, "accessRules");
        }
    }

    /// <summary>The rules of a createToken query (<c>GET=/a&amp;POST=/b</c>), decoded, with where each path is written.</summary>
    private static List<Found> FromQuery(string content, Group query)
    {
        var found = new List<Found>();
        int end = query.Index + query.Length;
        for (int at = query.Index; at < end;)
        {
            int amp = content.IndexOf('&', at, end - at);
            int stop = amp < 0 ? end : amp;
            int eq = content.IndexOf('=', at, stop - at);
            if (eq > at)
            {
                // "&amp;" where the URL sits in HTML or Markdown.
                var method = Uri.UnescapeDataString(content[at..eq]);
                method = method.StartsWith("amp;", StringComparison.Ordinal) ? method[4..] : method;
                var path = Uri.UnescapeDataString(content[(eq + 1)..stop]);
                if (AccessRule.Methods.Contains(method.ToUpperInvariant()))
                    found.Add(new Found(new AccessRule(method.ToUpperInvariant(), path), eq + 1));
            }
            at = stop + 1;
        }
        return found;
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
            // "METHOD PATH" entries, comma-separated; the path runs to the next comma, quote or space.
            var found = new List<Found>();
            for (int entry = i + 1; entry < end;)
            {
                int comma = content.IndexOf(',', entry, end - entry);
                int stop = comma < 0 ? end : comma;
                int slash = content.IndexOf('/', entry, stop - entry);
                if (slash >= 0)
                {
                    int pathEnd = slash;
                    while (pathEnd < stop && content[pathEnd] is not (' ' or '"' or '\'' or '\t'))
                        pathEnd++;
                    var method = content[entry..slash].Trim(' ', '\t', '"', '\'').ToUpperInvariant();
                    found.Add(new Found(new AccessRule(AccessRule.Methods.Contains(method) ? method : "DELETE", content[slash..pathEnd]), slash));
                }
                entry = stop + 1;
            }
            GradeSet(text, sink, found, i, "recorded access rule");
        }
    }

    /// <summary>
    /// Each path granted above minimal is a finding at its first rule, naming the methods that share its grade; a set
    /// that reaches several projects or clusters, each rule of it within one, is one finding at the set.
    /// </summary>
    private static void GradeSet(SourceText text, FindingSink sink, List<Found> found, int setOffset, string where)
    {
        if (found.Count == 0)
            return;
        var rules = new AccessRule[found.Count];
        for (int i = 0; i < rules.Length; i++)
            rules[i] = found[i].Rule;
        var set = RuleGrader.GradeSet(rules);
        // Exactly a built-in profile's rules (keyward ovh rules printed them) are the fewest its tool needs: external-dns
        // must list the account's zones, which grades medium, and no narrower rule does that.
        if (BuiltInProfiles.Recognize(rules) is { } profile && set.Level <= profile.Profile.Level)
            return;
        var worst = RiskLevel.Minimal;
        var groups = new List<PathGrade>();
        for (int i = 0; i < found.Count; i++)
        {
            var grade = set.Rules[i];
            worst = grade.Level > worst ? grade.Level : worst;
            if (grade.Level == RiskLevel.Minimal)
                continue;
            var same = groups.Find(g => g.Grade.Rule.Path == grade.Rule.Path && g.Grade.Level == grade.Level && g.Grade.Reason == grade.Reason);
            if (same is null)
                groups.Add(new PathGrade(grade, [grade.Rule.Method], found[i].Offset));
            else if (!same.Methods.Contains(grade.Rule.Method))
                same.Methods.Add(grade.Rule.Method);
        }
        foreach (var group in groups)
        {
            var grade = group.Grade;
            sink.Report(text, group.Offset, $"{where} grants {string.Join(", ", group.Methods)} {grade.Rule.Path}: {grade.Scope.ToLowerInvariant()}, "
                + $"{grade.Level.Name()} on the guide's scale; {grade.Reason}", SeverityOf(grade.Level));
        }
        if (set.Level > worst)
            sink.Report(text, setOffset, $"{where}: {string.Join("; ", set.Notes)} ({set.Level.Name()} on the guide's scale)", SeverityOf(set.Level));
    }

    // Classes, not value tuples: a generic collection of a value tuple is code no ReadyToRun image holds, compiled at
    // run time on every audit that meets a token URL (docs/benchmarks.md).
    private sealed record Found(AccessRule Rule, int Offset);

    private sealed record PathGrade(RuleGrade Grade, List<string> Methods, int Offset);

    private static Severity SeverityOf(RiskLevel level) => level switch
    {
        RiskLevel.Critical => Severity.Critical,
        RiskLevel.High => Severity.High,
        _ => Severity.Medium,
    };
}
