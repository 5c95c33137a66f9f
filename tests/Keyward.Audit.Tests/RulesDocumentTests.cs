using Keyward.Audit.Reports;
using Keyward.Testing;

namespace Keyward.Audit.Tests;

/// <summary>docs/rules.md is generated from the rules; this fails when it is stale (regenerate with KEYWARD_UPDATE_DOCS=1 or keyward audit --rules --format markdown).</summary>
public class RulesDocumentTests
{
    [Fact]
    public void Docs_rules_md_is_up_to_date()
    {
        using var w = new StringWriter { NewLine = "\n" };
        RulesDocument.Write(w, RuleRegistry.BuiltIn);
        var path = Path.Combine(SharedMaterial.RepositoryRoot, "docs", "rules.md");
        if (Environment.GetEnvironmentVariable("KEYWARD_UPDATE_DOCS") == "1")
            File.WriteAllText(path, w.ToString());
        Assert.True(File.Exists(path) && File.ReadAllText(path) == w.ToString(),
            "docs/rules.md is stale: run keyward audit --rules --format markdown -o docs/rules.md (or the tests with KEYWARD_UPDATE_DOCS=1)");
    }

    [Fact]
    public void The_rule_count_in_docs_audit_md_is_the_registry_s()
    {
        var audit = File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "docs", "audit.md"));
        var categories = RuleRegistry.BuiltIn.Rules.Select(r => r.Category).Distinct().Count();
        Assert.Contains($"{RuleRegistry.BuiltIn.Rules.Count} rules in {categories} categories", audit, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_has_a_section()
    {
        using var w = new StringWriter();
        RulesDocument.Write(w, RuleRegistry.BuiltIn);
        foreach (var rule in RuleRegistry.BuiltIn.Rules)
            Assert.Contains($"## {rule.Id} {rule.Name}", w.ToString(), StringComparison.Ordinal);
    }
}
