using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Rules;

namespace Keyward.Cli.Commands.Ovh;

/// <summary><c>keyward ovh allows RULES METHOD PATH</c>: is the call allowed, and by which rule.</summary>
internal static class AllowsCommand
{
    public static Command Create(CliConsole console)
    {
        var words = new Argument<string[]>("RULES METHOD PATH") { Description = "Rules as METHOD PATH pairs (or --url/--file), then the call", Arity = ArgumentArity.OneOrMore };
        var input = new RuleInputOptions();
        var command = new Command("allows", "Say whether a call is allowed by the rules, and by which one") { words };
        input.AddTo(command);
        command.SetAction(parse =>
        {
            var tokens = AccessRuleParser.Tokens(parse.GetValue(words) ?? []);
            if (tokens.Count < 2)
                throw new KeywardException("missing the call to test", "end the arguments with METHOD PATH, e.g. GET /cloud/project/abc/kube/def/nodepool", FailureKind.Usage);
            var method = tokens[^2].ToUpperInvariant();
            var path = tokens[^1];
            var call = AccessRule.Create(method, path.Split('?')[0], "the call");
            var rules = input.Read(console, parse, tokens[..^2], "rules");
            var allowing = rules.Where(r => r.Allows(call.Method, path)).ToList();
            if (allowing.Count > 0)
            {
                OvhConsole.WriteLine(console, $"allowed: {call.Method} {path}");
                foreach (var rule in allowing)
                    OvhConsole.WriteLine(console, $"  by {rule}");
                return ExitCodes.Success;
            }
            OvhConsole.WriteLine(console, $"not allowed: {call.Method} {path} (the API answers NOT_GRANTED_CALL)");
            foreach (var near in rules.Where(r => r.Path == call.Path + "/*" || r.Path == call.Path && r.Method != call.Method))
            {
                OvhConsole.WriteLine(console, near.Path == call.Path
                    ? $"  {near} has the path but not the method: there is no method wildcard"
                    : $"  {near} does not cover {call.Path} itself: add {call.Method} {call.Path}");
            }
            return ExitCodes.Failure;
        });
        return command;
    }
}
