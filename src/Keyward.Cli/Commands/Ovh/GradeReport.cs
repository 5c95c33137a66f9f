using Keyward.Ovh.Grading;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>Prints a graded rule set the same way for check, inspect and diff.</summary>
internal static class GradeReport
{
    private static readonly string[] Header = ["RISK", "SCOPE", "RULE", "WHY"];

    public static void Write(CliConsole console, RuleSetGrade grade)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(grade.Rules.Select(r => new[] { r.Level.Name(), r.Scope, r.Rule.ToString(), r.Reason }));
        foreach (var line in OvhConsole.Table(rows))
            OvhConsole.WriteLine(console, line);
        foreach (var note in grade.Notes)
            OvhConsole.WriteLine(console, $"note: {note}");
        WriteCautions(grade, line => OvhConsole.WriteLine(console, $"caution: {line}"));
        OvhConsole.WriteLine(console, $"overall: {grade.Level.Name()} ({grade.Level.Recommendation()})");
    }

    /// <summary>
    /// What the rules allow that their level does not show (writes over a cluster's own administration calls), one line
    /// per rule and one for what to use instead; the grade stays the guide's.
    /// </summary>
    public static void WriteCautions(RuleSetGrade grade, Action<string> write)
    {
        foreach (var rule in grade.Cautions)
            write($"{rule.Rule} {rule.Caution}");
        if (grade.CautionAdvice is { } advice)
            write(advice);
    }

    /// <summary>Exit code and a stderr line when the set is above the allowed level.</summary>
    public static int Verdict(CliConsole console, RuleSetGrade grade, RiskLevel max, string? profile = null)
    {
        if (grade.Level <= max)
            return ExitCodes.Success;
        console.Stderr.WriteLine($"keyward: error: the rules grade {grade.Level.Name()}, above --max-risk {max.Name()}");
        // A profile's own rules are already the fewest its tool needs: narrowing them breaks the tool.
        console.Stderr.WriteLine(profile is null
            ? $"keyward: hint: {Hint(grade, max)}"
            : $"keyward: hint: these are exactly the rules of profile {profile}, the fewest it needs; accept their level with --max-risk {grade.Level.Name()}");
        return ExitCodes.Failure;
    }

    /// <summary>
    /// What to change: the worst rule when it alone is above the level; otherwise every rule is fine and the set is
    /// too wide only because it spans clusters or projects, which no narrower rule fixes.
    /// </summary>
    public static string Hint(RuleSetGrade grade, RiskLevel max) => grade.Worst is { } worst && worst.Level > max
        ? $"narrow the worst rule ({worst.Rule}) to one cluster or zone; keyward ovh rules --profile prints the smallest set"
        : "split the set: one key per cluster (and so per project), each with only its own cluster's rules; keyward ovh rules --profile --kube-id prints one cluster's set";
}
