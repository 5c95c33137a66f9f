using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Profiles;

namespace Keyward.Cli.Commands.Ovh;

/// <summary><c>keyward ovh profiles [PROFILE]</c>: the built-in profiles, each rule with the calls it serves.</summary>
internal static class ProfilesCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string?>("PROFILE") { Description = "Show only this profile", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("profiles", "List the built-in profiles and the calls each rule serves") { name };
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(name);
            var profiles = wanted is null ? BuiltInProfiles.All
                : [BuiltInProfiles.Find(wanted) ?? throw new KeywardException($"unknown profile \"{wanted}\"", $"profiles: {string.Join(", ", BuiltInProfiles.All.Select(p => p.Name))}", FailureKind.Usage)];
            bool first = true;
            foreach (var profile in profiles)
            {
                if (!first)
                    OvhConsole.WriteLine(console, "");
                first = false;
                Describe(console, profile);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Describe(CliConsole console, OvhProfile profile)
    {
        OvhConsole.WriteLine(console, $"{profile.Name}: {profile.Component}");
        OvhConsole.WriteLine(console, $"  parameters: {string.Join(", ", profile.Parameters.Select(p => $"{p.Flag} ({{{p.Name}}}, {p.Description})"))}");
        OvhConsole.WriteLine(console, $"  calls read in: {profile.Source}");
        foreach (var rule in profile.Rules)
            Rule(console, rule, "  ");
        foreach (var option in profile.Options)
        {
            OvhConsole.WriteLine(console, $"  option --with {option.Name}: {option.Description}");
            foreach (var rule in option.Rules)
                Rule(console, rule, "    ");
        }
        foreach (var note in profile.Notes)
            OvhConsole.WriteLine(console, $"  note: {note}");
    }

    private static void Rule(CliConsole console, ProfileRule rule, string indent)
    {
        OvhConsole.WriteLine(console, $"{indent}{rule.Method} {rule.Path}");
        foreach (var call in rule.Calls)
            OvhConsole.WriteLine(console, $"{indent}    serves {call.Method} {call.Path}: {call.Purpose}");
    }
}
