using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Grading;

/// <summary>The grade of one rule: its level, the scope it reaches in the guide's words, and why.</summary>
public sealed record RuleGrade(AccessRule Rule, RiskLevel Level, string Scope, string Reason);

/// <summary>The grade of a rule set: the worst rule, raised when the set spans several clusters or projects.</summary>
public sealed record RuleSetGrade(RiskLevel Level, IReadOnlyList<RuleGrade> Rules, IReadOnlyList<string> Notes)
{
    public RuleGrade? Worst => Rules.Count == 0 ? null : Rules.MaxBy(r => r.Level);
}
