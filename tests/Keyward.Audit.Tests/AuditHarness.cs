using Keyward.Audit;

namespace Keyward.Audit.Tests;

/// <summary>Runs the auditor over in-memory files.</summary>
internal static class AuditHarness
{
    public static AuditResult Run(IEnumerable<(string File, string Text)> files, AuditOptions? options = null, RuleRegistry? registry = null)
    {
        var inputs = new AuditInputs();
        foreach (var (file, text) in files)
            inputs.AddText(new SourceText(file, text), file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal));
        return new Auditor(registry ?? RuleRegistry.BuiltIn, options).Run(inputs);
    }

    public static AuditResult Run(string file, string text, AuditOptions? options = null) => Run([(file, text)], options);

    public static AuditResult RunRule(Rule rule, string file, string text) =>
        Run([(file, text)], new AuditOptions { OnlyRules = [rule.Id] });
}
