using System.CommandLine;
using Keyward.Ovh.Api;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// <c>keyward ovh inspect [--profile P ...]</c>: reads <c>GET /auth/currentCredential</c> and reports status, expiry
/// and rules, graded as <c>check</c> does, compared with the profile when one is given.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CliConsole console)
    {
        var profile = new ProfileOptions();
        var api = new ApiOptions();
        var credentials = new OvhCredentialInput();
        var maxRisk = OvhConsole.MaxRiskOption("minimal");
        var command = new Command("inspect", "Show a credential's rules, status and expiry (GET /auth/currentCredential), graded and compared with a profile");
        profile.AddTo(command, required: false);
        api.AddTo(command);
        credentials.AddTo(command);
        command.Options.Add(maxRisk);
        command.SetAction(parse =>
        {
            var chosen = profile.Find(parse);
            var max = OvhConsole.MaxRisk(parse.GetValue(maxRisk), RiskLevel.Minimal);
            var values = profile.Values(parse);
            if (chosen is not null)
                ProfileOptions.WarnPlaceholders(console, chosen, values);
            using var creds = credentials.ReadAll(console, parse);
            var (http, client) = api.Build(console, parse);
            CurrentCredential current;
            using (http)
            using (client)
                current = client.GetCurrentCredentialAsync(creds).GetAwaiter().GetResult();

            int exit = ExitCodes.Success;
            OvhConsole.WriteLine(console, $"credential {current.CredentialId} of application {current.ApplicationId}: {current.Status}");
            OvhConsole.WriteLine(console, $"created {Date(current.Creation)}, last used {Date(current.LastUse)}, expires {(current.Expiration is null ? "never" : Date(current.Expiration))}");
            if (current.AllowedIps is { Count: > 0 } ips)
                OvhConsole.WriteLine(console, $"allowed IPs: {string.Join(", ", ips)}");
            else
                OvhConsole.WriteLine(console, "allowed IPs: any (consider --allowed-ip when requesting the key)");
            if (current.Status != CurrentCredential.Validated || current.Expiration <= console.Time.GetUtcNow())
            {
                console.Stderr.WriteLine($"keyward: error: the credential is {current.Status}{(current.Expiration <= console.Time.GetUtcNow() ? " and expired" : "")}");
                exit = ExitCodes.Failure;
            }
            else
            {
                KeyValidity.WarnIfLimited(console, current.Expiration);
            }
            if (current.Creation is { } created && console.Time.GetUtcNow() - created > TimeSpan.FromDays(90))
                console.Stderr.WriteLine($"keyward: warning: the credential is {(int)(console.Time.GetUtcNow() - created).TotalDays} days old; the guide asks for rotation every 90 days (keyward ovh rotate)");

            var grade = RuleGrader.GradeSet(current.Rules);
            GradeReport.Write(console, grade);
            if (GradeReport.Verdict(console, grade, max) != ExitCodes.Success)
                exit = ExitCodes.Failure;
            if (chosen is not null)
            {
                var diff = ProfileDiff.Compare(chosen, values, profile.Options(parse), current.Rules);
                OvhConsole.WriteLine(console, $"compared with {chosen.Name}:");
                DiffCommand.Write(console, diff);
                if (!diff.Exact)
                    exit = ExitCodes.Failure;
            }
            return exit;
        });
        return command;
    }

    private static string Date(DateTimeOffset? at) => at is { } d ? d.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
