using System.CommandLine;
using Keyward.Ovh.Api;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>Endpoint and patience of the commands that talk to the API, and the client they build from them.</summary>
internal sealed class ApiOptions
{
    public ApiOptions(string? endpointDescription = null)
    {
        Endpoint = OvhConsole.EndpointOption();
        if (endpointDescription is not null)
            Endpoint.Description = endpointDescription;
    }

    public Option<string?> Endpoint { get; }

    public Option<string?> RequestTimeout { get; } = new("--request-timeout") { Description = "Give up on one API request after this long (default 30s)", HelpName = "DURATION" };

    public void AddTo(Command command)
    {
        command.Options.Add(Endpoint);
        command.Options.Add(RequestTimeout);
    }

    /// <summary>
    /// The endpoint to talk to (<see cref="EndpointChoice"/> decides): for a file that records one, pass it and the
    /// file's name; a note about an overruled $OVH_ENDPOINT goes to stderr.
    /// </summary>
    public OvhEndpoint ResolveEndpoint(CliConsole console, ParseResult parse, string? recorded = null, string? recordedIn = null)
    {
        var choice = EndpointChoice.Resolve(parse.GetValue(Endpoint), console.Environment("OVH_ENDPOINT"), recorded, recordedIn);
        if (choice.Note is { } note)
            console.Stderr.WriteLine($"keyward: note: {note}");
        return choice.Endpoint;
    }

    /// <summary>A client for <paramref name="endpoint"/> (default: <see cref="ResolveEndpoint"/> without a file); dispose both when done.</summary>
    public (HttpClient Http, OvhApiClient Client) Build(CliConsole console, ParseResult parse, OvhEndpoint? endpoint = null)
    {
        endpoint ??= ResolveEndpoint(console, parse);
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
