using System.CommandLine;
using System.Text;
using Keyward.Ovh.Api;
using Keyward.Core;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Rules;

namespace Keyward.Cli.Commands.Ovh;

/// <summary><c>keyward ovh rules --profile P ...</c>: the createToken URL, the accessRules JSON, or a table.</summary>
internal static class RulesCommand
{
    private static readonly string[] Header = ["METHOD", "PATH", "RISK", "SERVES"];

    public static Command Create(CliConsole console)
    {
        var profile = new ProfileOptions();
        var endpoint = OvhConsole.EndpointOption();
        var format = new Option<string>("--format", "-f") { Description = "url (the pre-filled createToken page), json (the accessRules body) or table", HelpName = "FORMAT", DefaultValueFactory = _ => "url" };
        var command = new Command("rules", "Print a profile's rules as a createToken URL, accessRules JSON or a table");
        profile.AddTo(command, required: true);
        command.Options.Add(endpoint);
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            var chosen = profile.Find(parse)!;
            var values = profile.Values(parse);
            ProfileOptions.WarnPlaceholders(console, chosen, values);
            var rules = chosen.Instantiate(values, profile.Options(parse), requireAll: false);
            switch (parse.GetValue(format))
            {
                case "url":
                    OvhConsole.WriteLine(console, CreateTokenUrl.Build(OvhConsole.Endpoint(console, parse.GetValue(endpoint)), rules));
                    break;
                case "json":
                    OvhConsole.WriteLine(console, Json(rules));
                    break;
                case "table":
                    var rows = new List<string[]> { Header };
                    var calls = chosen.RulesWith(profile.Options(parse)).Select(r => string.Join("; ", r.Calls.Select(c => c.Purpose))).ToList();
                    rows.AddRange(rules.Select((r, i) => new[] { r.Method, r.Path, RuleGrader.Grade(r).Level.Name(), calls[i] }));
                    foreach (var line in OvhConsole.Table(rows))
                        OvhConsole.WriteLine(console, line);
                    break;
                default:
                    throw new KeywardException($"--format \"{parse.GetValue(format)}\" is not a format", "use url, json or table", FailureKind.Usage);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The <c>POST /auth/credential</c> body, indented for reading.</summary>
    private static string Json(IReadOnlyList<AccessRule> rules) =>
        Encoding.UTF8.GetString(OvhApiClient.CredentialRequestBody(rules, redirection: null, allowedIps: null, indented: true));
}
