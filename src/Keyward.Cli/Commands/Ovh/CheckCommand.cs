using System.CommandLine;
using Keyward.Ovh.Grading;

namespace Keyward.Cli.Commands.Ovh;

/// <summary><c>keyward ovh check [RULES | --url URL | --file FILE] [--max-risk LEVEL]</c>: grade each rule and the set.</summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console)
    {
        var rules = new Argument<string[]>("RULES") { Description = "Rules as METHOD PATH pairs, e.g. \"GET /cloud/project/abc/kube/def/*\"", Arity = ArgumentArity.ZeroOrMore };
        var input = new RuleInputOptions();
        var maxRisk = OvhConsole.MaxRiskOption("minimal");
        var command = new Command("check", "Grade access rules on the guide's scale (critical, high, medium, minimal) and say why") { rules };
        input.AddTo(command);
        command.Options.Add(maxRisk);
        command.SetAction(parse =>
        {
            // Options first: a typo in --max-risk must not come after a table that looks like an answer.
            var max = OvhConsole.MaxRisk(parse.GetValue(maxRisk), RiskLevel.Minimal);
            var parsed = input.Read(console, parse, parse.GetValue(rules) ?? [], "rules");
            var grade = RuleGrader.GradeSet(parsed);
            GradeReport.Write(console, grade);
            return GradeReport.Verdict(console, grade, max, Keyward.Ovh.Profiles.BuiltInProfiles.Recognize(parsed)?.Profile.Name);
        });
        return command;
    }
}
