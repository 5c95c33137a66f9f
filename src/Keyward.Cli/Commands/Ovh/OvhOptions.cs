using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>The options the ovh commands share: which profile and ids, which endpoint, where rules come from.</summary>
internal sealed class ProfileOptions
{
    public Option<string> Profile { get; } = new("--profile") { Description = "Built-in profile: " + string.Join(", ", BuiltInProfiles.All.Select(p => p.Name)), HelpName = "PROFILE" };

    public Option<string?> ServiceName { get; } = new("--service-name") { Description = "Public cloud project id ({serviceName})", HelpName = "ID" };

    public Option<string?> KubeId { get; } = new("--kube-id") { Description = "MKS cluster id ({kubeId})", HelpName = "ID" };

    public Option<string?> Zone { get; } = new("--zone") { Description = "DNS zone ({zone}) for the DNS profiles", HelpName = "ZONE" };

    public Option<string[]> With { get; } = new("--with") { Description = "Add a profile option (karpenter-mks: node-deletion; cluster-autoscaler-mks: autoprovisioning); repeatable", HelpName = "OPTION" };

    public void AddTo(Command command, bool required)
    {
        Profile.Required = required;
        command.Options.Add(Profile);
        command.Options.Add(ServiceName);
        command.Options.Add(KubeId);
        command.Options.Add(Zone);
        command.Options.Add(With);
    }

    public OvhProfile? Find(ParseResult parse)
    {
        var name = parse.GetValue(Profile);
        if (name is null)
            return null;
        return BuiltInProfiles.Find(name) ?? throw new KeywardException($"unknown profile \"{name}\"",
            $"profiles: {string.Join(", ", BuiltInProfiles.All.Select(p => p.Name))} (keyward ovh profiles lists them)", FailureKind.Usage);
    }

    public Dictionary<string, string?> Values(ParseResult parse) => new(StringComparer.Ordinal)
    {
        ["serviceName"] = Id(parse, ServiceName),
        ["kubeId"] = Id(parse, KubeId),
        ["zone"] = Id(parse, Zone),
    };

    /// <summary>Warns for each parameter of <paramref name="profile"/> left as a <c>{placeholder}</c>.</summary>
    public static void WarnPlaceholders(CliConsole console, OvhProfile profile, IReadOnlyDictionary<string, string?> values)
    {
        foreach (var parameter in profile.Parameters.Where(p => string.IsNullOrEmpty(values[p.Name])))
            console.Stderr.WriteLine($"keyward: warning: {{{parameter.Name}}} is left as a placeholder; pass {parameter.Flag}");
    }

    /// <summary>
    /// An id given empty is an error, not a missing one: <c>--kube-id "$KUBE_ID"</c> with the variable unset would
    /// otherwise quietly print rules with a placeholder.
    /// </summary>
    private static string? Id(ParseResult parse, Option<string?> option)
    {
        var value = parse.GetValue(option);
        if (value is not null && string.IsNullOrWhiteSpace(value))
            throw new KeywardException($"{option.Name} is empty", $"give the id, or leave {option.Name} out to keep its placeholder (an unset shell variable gives an empty value)", FailureKind.Usage);
        return value;
    }

    public IReadOnlyList<string> Options(ParseResult parse) => parse.GetValue(With) ?? [];
}

/// <summary>Where a rule set comes from: RULES arguments, a createToken URL, or a JSON file (or stdin).</summary>
internal sealed class RuleInputOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "Read the rules from a createToken URL", HelpName = "URL" };

    public Option<string?> File { get; } = new("--file") { Description = "Read the rules from JSON: accessRules, currentCredential rules or an array (\"-\" for stdin)", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(File);
    }

    public IReadOnlyList<AccessRule> Read(CliConsole console, ParseResult parse, IReadOnlyList<string> arguments, string what)
    {
        var url = parse.GetValue(Url);
        var file = parse.GetValue(File);
        int sources = (url is null ? 0 : 1) + (file is null ? 0 : 1) + (arguments.Count == 0 ? 0 : 1);
        if (sources != 1)
            throw new KeywardException(sources == 0 ? $"no {what} given" : $"give {what} one way only",
                "pass METHOD PATH arguments, --url URL or --file FILE", FailureKind.Usage);
        if (url is not null)
            return AccessRuleParser.FromCreateTokenUrl(url);
        if (file is not null)
            return AccessRuleParser.FromJson(OvhConsole.ReadText(console, file), file == "-" ? "stdin" : file);
        return AccessRuleParser.FromArguments(arguments);
    }
}

internal static class OvhConsole
{
    public static Option<string?> EndpointOption() => new("--endpoint")
    {
        Description = "API region (ovh-eu, ovh-ca, ovh-us) or base URL; default $OVH_ENDPOINT or ovh-eu",
        HelpName = "ENDPOINT",
    };

    /// <summary>The endpoint when no file records one: --endpoint, $OVH_ENDPOINT, ovh-eu (<see cref="EndpointChoice"/>).</summary>
    public static OvhEndpoint Endpoint(CliConsole console, string? value) => EndpointChoice.Resolve(value, console.Environment("OVH_ENDPOINT")).Endpoint;

    public static Option<string?> MaxRiskOption(string defaultLevel) => new("--max-risk")
    {
        Description = $"Fail (exit 1) when the rules grade above LEVEL: minimal, medium, high, critical (default {defaultLevel})",
        HelpName = "LEVEL",
    };

    public static RiskLevel MaxRisk(string? value, RiskLevel fallback)
    {
        if (value is null)
            return fallback;
        return RiskLevels.TryParse(value, out var level) ? level
            : throw new KeywardException($"--max-risk \"{value}\" is not a level", "use minimal, medium, high or critical", FailureKind.Usage);
    }

    /// <summary>Access rules and keys, the files read here, are a few KB at most.</summary>
    private const string SmallFileHint = "access rules and keys are small files (a few KB): check the path";

    public static string ReadText(CliConsole console, string path)
    {
        if (path == "-")
            return InputFile.Decode(InputFile.ReadAll(console.Stdin, "standard input", InputFile.SmallMaxBytes, SmallFileHint));
        try
        {
            return InputFile.ReadAllText(path, "file", InputFile.SmallMaxBytes, SmallFileHint);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"file \"{path}\" does not exist", "check the path", FailureKind.Usage, e);
        }
    }

    public static void WriteLine(CliConsole console, string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        console.Stdout.Write(bytes);
        console.Stdout.Flush();
    }

    /// <summary>Lines of a table with padded columns; the last column is not padded.</summary>
    public static IEnumerable<string> Table(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
            yield break;
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
            yield return string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd();
    }

    public static TimeSpan Duration(string? text, TimeSpan fallback, string flag)
    {
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        var t = text.Trim();
        (string number, double scale) = t[^1] switch
        {
            's' when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            's' => (t[..^1], 1),
            'm' => (t[..^1], 60),
            'h' => (t[..^1], 3600),
            _ => (t, 1),
        };
        // A week at most: longer is a mistake, and timers cannot wait much beyond 24 days anyway.
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || !(value * scale >= 0.001 && value * scale <= MaxDuration.TotalSeconds))
            throw new KeywardException($"{flag} \"{text}\" is not a duration from 1ms to 168h", "use e.g. 90s, 10m, 1h", FailureKind.Usage);
        return TimeSpan.FromSeconds(value * scale);
    }

    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(168);
}
