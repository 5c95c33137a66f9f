using System.CommandLine;
using Keyward.Ovh.Api;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>Endpoint and patience of the commands that talk to the API, and the client they build from them.</summary>
internal sealed class ApiOptions
{
    public Option<string?> Endpoint { get; } = OvhConsole.EndpointOption();

    public Option<string?> RequestTimeout { get; } = new("--request-timeout") { Description = "Give up on one API request after this long (default 30s)", HelpName = "DURATION" };

    public void AddTo(Command command)
    {
        command.Options.Add(Endpoint);
        command.Options.Add(RequestTimeout);
    }

    /// <summary>A client for the chosen endpoint; dispose both when done.</summary>
    public (HttpClient Http, OvhApiClient Client) Build(CliConsole console, ParseResult parse)
    {
        var endpoint = OvhConsole.Endpoint(console, parse.GetValue(Endpoint));
        var timeout = OvhConsole.Duration(parse.GetValue(RequestTimeout), TimeSpan.FromSeconds(30), "--request-timeout");
        // Redirects are not followed: a signed request must reach the URL it was signed for and nothing else.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        return (http, new OvhApiClient(http, endpoint, new OvhClientOptions { Time = console.Time, RequestTimeout = timeout }));
    }
}

/// <summary>How long to wait for the user to validate a new consumer key, and how often to look.</summary>
internal sealed class WaitOptions
{
    public Option<string?> Timeout { get; } = new("--timeout") { Description = "Wait at most this long for the validation (default 10m)", HelpName = "DURATION" };

    public Option<string?> PollInterval { get; } = new("--poll-interval") { Description = "Check the validation this often (default 5s)", HelpName = "DURATION" };

    public void AddTo(Command command)
    {
        command.Options.Add(Timeout);
        command.Options.Add(PollInterval);
    }

    public (TimeSpan Timeout, TimeSpan Poll) Read(ParseResult parse) =>
        (OvhConsole.Duration(parse.GetValue(Timeout), TimeSpan.FromMinutes(10), "--timeout"), OvhConsole.Duration(parse.GetValue(PollInterval), TimeSpan.FromSeconds(5), "--poll-interval"));
}
