using Keyward.Core;

namespace Keyward.Ovh.Api;

/// <summary>
/// The one place that decides which API region a command talks to. Without a file: <c>--endpoint</c>, else
/// <c>$OVH_ENDPOINT</c>, else ovh-eu, as the SDKs do. For a file that records the region of its key
/// (<c>keyward.io/ovh-endpoint</c>), that region: a consumer key exists in one region only, so another one answers
/// INVALID_KEY at best, and a new key requested there would belong to another account's application. An explicit
/// <c>--endpoint</c> that differs is refused; an environment variable left from other work is overruled, with a note.
/// </summary>
public sealed record EndpointChoice(OvhEndpoint Endpoint, string? Note)
{
    public static EndpointChoice Resolve(string? option, string? environment, string? recorded = null, string? recordedIn = null)
    {
        if (string.IsNullOrWhiteSpace(recorded))
            return new(OvhEndpoint.Parse(Given(option) ?? Given(environment)), null);

        OvhEndpoint fromFile;
        try
        {
            fromFile = OvhEndpoint.Parse(recorded);
        }
        catch (KeywardException e)
        {
            throw new KeywardException($"\"{recordedIn}\": the {Storage.OvhSecretManifest.EndpointAnnotation} annotation \"{recorded}\" is not an endpoint ({e.Message})",
                "the file was edited by hand; write it again with keyward ovh secret", FailureKind.Failed, e);
        }
        if (Given(option) is { } flag)
        {
            var asked = OvhEndpoint.Parse(flag);
            if (!Same(asked, fromFile))
                throw new KeywardException($"--endpoint {flag} is not the endpoint recorded in \"{recordedIn}\" ({fromFile.Name}), where its key was created",
                    $"drop --endpoint to use {fromFile.Name}; if the key really belongs to another region, the file is wrong: request a key there (keyward ovh request) and write the file again (keyward ovh secret)",
                    FailureKind.Usage);
            return new(fromFile, null);
        }
        if (Given(environment) is { } variable && !Same(TryParse(variable), fromFile))
            return new(fromFile, $"$OVH_ENDPOINT ({variable}) is not the endpoint recorded in \"{recordedIn}\"; using {fromFile.Name}, where its key was created");
        return new(fromFile, null);
    }

    /// <summary>The same API: names and URLs of one region are one endpoint (<c>ovh-eu</c> is <c>https://eu.api.ovh.com/1.0</c>).</summary>
    public static bool Same(OvhEndpoint? a, OvhEndpoint? b) => a is not null && b is not null && a.BaseUrl.Equals(b.BaseUrl);

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static OvhEndpoint? TryParse(string value)
    {
        try
        {
            return OvhEndpoint.Parse(value);
        }
        catch (KeywardException)
        {
            return null; // not an endpoint at all: overruled like any other, the note says so
        }
    }
}
