using System.CommandLine;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;

namespace Keyward.Cli.Commands.Ovh;

/// <summary><c>keyward ovh diff --profile P ... --granted RULES</c>: calls that will fail, rules that grant too much.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        var profile = new ProfileOptions();
        var granted = new Option<string[]>("--granted") { Description = "The granted rules as METHOD PATH pairs", HelpName = "RULES", AllowMultipleArgumentsPerToken = true };
        var input = new RuleInputOptions();
        var command = new Command("diff", "Compare granted rules with a profile: calls that will fail with NOT_GRANTED_CALL, rules that grant more than needed");
        profile.AddTo(command, required: true);
        command.Options.Add(granted);
        input.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = profile.Find(parse)!;
            var values = profile.Values(parse);
            var rules = input.Read(console, parse, parse.GetValue(granted) ?? [], "granted rules");
            // Without the ids every call has a {placeholder} no granted rule allows: say so, as rules does.
            ProfileOptions.WarnPlaceholders(console, chosen, values);
            var diff = ProfileDiff.Compare(chosen, values, profile.Options(parse), rules);
            Write(console, diff);
            return diff.Exact ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    public static void Write(CliConsole console, ProfileDiffResult diff)
    {
        if (diff.Exact)
        {
            OvhConsole.WriteLine(console, "the granted rules are exactly what the profile needs");
            return;
        }
        foreach (var missing in diff.Missing)
            OvhConsole.WriteLine(console, $"will fail (NOT_GRANTED_CALL): {missing.Method} {missing.Path}  [{missing.Call.Purpose}]");
        foreach (var excess in diff.Excess)
            OvhConsole.WriteLine(console, $"grants more than needed ({excess.Grade.Level.Name()}, {excess.Grade.Scope}): {excess.Rule}  [{excess.Grade.Reason}]");
    }
}
