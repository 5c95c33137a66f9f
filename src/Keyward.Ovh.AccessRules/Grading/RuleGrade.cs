using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Grading;

/// <summary>
/// The grade of one rule: its level, the scope it reaches in the guide's words, and why. <see cref="Caution"/> says
/// what a rule allows that its level does not show (a write over a cluster's own administration calls).
/// </summary>
public sealed record RuleGrade(AccessRule Rule, RiskLevel Level, string Scope, string Reason, string? Caution = null);

/// <summary>The grade of a rule set: the worst rule, raised when the set spans several clusters or projects.</summary>
public sealed record RuleSetGrade(RiskLevel Level, IReadOnlyList<RuleGrade> Rules, IReadOnlyList<string> Notes)
{
    public RuleGrade? Worst => Rules.Count == 0 ? null : Rules.MaxBy(r => r.Level);

    /// <summary>The rules that carry a caution, in order.</summary>
    public IReadOnlyList<RuleGrade> Cautions => [.. Rules.Where(r => r.Caution is not null)];

    /// <summary>What to use instead when any rule carries a caution; null when none does.</summary>
    public string? CautionAdvice => Cautions is [var first, ..] ? ClusterWrites.Advice(first.Rule) : null;
}
