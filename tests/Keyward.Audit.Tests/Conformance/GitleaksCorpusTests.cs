using System.Text.Json;
using Keyward.Audit.Credentials;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Conformance;

/// <summary>
/// gitleaks' own true- and false-positive samples (shared/conformance/gitleaks/rule-samples.json) for every gitleaks
/// rule a Keyward credential pattern covers: a tp sample must give a finding of the pattern, an fp sample none.
/// </summary>
public class GitleaksCorpusTests
{
    /// <summary>gitleaks rule id → the Keyward rule whose pattern of the same name covers it.</summary>
    internal static readonly Dictionary<string, string> Covered = new(StringComparer.Ordinal)
    {
        ["generic-api-key"] = "KW211", ["private-key"] = "KW201", ["age-secret-key"] = "KW202", ["aws-access-token"] = "KW204",
        ["gcp-api-key"] = "KW205", ["azure-ad-client-secret"] = "KW206",
        ["github-pat"] = "KW207", ["github-fine-grained-pat"] = "KW207", ["github-oauth"] = "KW207", ["github-app-token"] = "KW207", ["github-refresh-token"] = "KW207",
        ["gitlab-pat"] = "KW208", ["gitlab-pat-routable"] = "KW208", ["gitlab-ptt"] = "KW208", ["gitlab-rrt"] = "KW208",
        ["gitlab-runner-authentication-token"] = "KW208", ["gitlab-deploy-token"] = "KW208", ["gitlab-cicd-job-token"] = "KW208",
        ["slack-bot-token"] = "KW209", ["slack-user-token"] = "KW209", ["slack-app-token"] = "KW209", ["slack-config-access-token"] = "KW209",
        ["slack-legacy-token"] = "KW209", ["slack-webhook-url"] = "KW209", ["jwt"] = "KW210",
    };

    [Fact]
    public void Rule_samples_agree_with_gitleaks()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedMaterial.Path("conformance", "gitleaks", "rule-samples.json")));
        var agreement = new Agreement("gitleaks");
        foreach (var sample in doc.RootElement.GetProperty("samples").EnumerateArray())
        {
            var id = sample.GetProperty("rule_id").GetString()!;
            if (!Covered.TryGetValue(id, out var ruleId))
                continue;
            var rule = (CredentialRule)RuleRegistry.BuiltIn.Find(ruleId)!;
            var pattern = rule.Patterns.Single(p => p.Name == id);
            var text = sample.GetProperty("text").GetString()!;
            var path = sample.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : "sample.txt";
            int found = CredentialScanner.Scan(text, [pattern], path).Count;
            bool tp = sample.GetProperty("verdict").GetString() == "tp";
            agreement.Record($"{id} {(tp ? "tp" : "fp")} {Truncate(text)}", tp ? found >= 1 : found == 0, tp ? "not found" : $"{found} false positive(s)");
        }
        agreement.AssertAtLeast95Percent();
    }

    private static string Truncate(string s)
    {
        var oneLine = s.Replace("\n", "\\n", StringComparison.Ordinal);
        return oneLine.Length > 70 ? oneLine[..70] + "..." : oneLine;
    }
}
