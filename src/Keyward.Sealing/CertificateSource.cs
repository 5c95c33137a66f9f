using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Keyward.Core;

namespace Keyward.Sealing;

/// <summary>
/// Reads what <c>--cert</c> names, as kubeseal's openCertLocal and openCertURI do: a file name, a <c>file://</c> URL,
/// or an <c>http://</c>/<c>https://</c> URL such as the controller's <c>/v1/cert.pem</c>. Only text that starts with
/// a scheme of two letters or more and <c>://</c> is a URL, so a Windows drive letter or a file name with a colon is
/// still a file.
/// </summary>
public static partial class CertificateSource
{
    /// <summary>How long a fetch may take, connection to last byte.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A controller's certificate is about 2 KB; anything much larger is not one. The limit for a file too.</summary>
    private const int MaxResponseBytes = (int)InputFile.SmallMaxBytes;

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]+)://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlScheme();

    /// <summary>True when <paramref name="location"/> is fetched over plain http, where anyone on the path could swap the certificate.</summary>
    public static bool IsPlainHttp(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Scheme(location) == "http";
    }

    [GeneratedRegex(@"^(?<head>[A-Za-z][A-Za-z0-9+.\-]+://[^/?#@:]*):[^/?#@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    /// <summary>
    /// <paramref name="location"/> as messages name it: a URL's password (<c>https://user:password@host/...</c>, a
    /// deploy token in a CI job) masked, since errors and warnings end up in logs.
    /// </summary>
    public static string Display(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return UrlPassword().Replace(location, "${head}:****@", 1);
    }

    /// <summary>The certificate's text. Errors name <paramref name="location"/> as it was given, its password masked.</summary>
    public static string ReadText(string location, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Scheme(location) switch
        {
            null => ReadFile(location, location),
            "file" => ReadFile(LocalPath(location), location),
            "http" or "https" => Fetch(location, timeout ?? DefaultTimeout),
            var other => throw new KeywardException($"certificate URL \"{Display(location)}\" has the scheme {other}, which keyward does not fetch",
                "--cert takes a file, a file:// URL or an http:// or https:// URL; download the certificate to a file and pass that", FailureKind.Usage),
        };
    }

    private static string? Scheme(string location) =>
        UrlScheme().Match(location) is { Success: true } match ? match.Groups["scheme"].Value.ToLowerInvariant() : null;

    private static string ReadFile(string path, string location)
    {
        try
        {
            return InputFile.ReadAllText(path, "certificate file", InputFile.SmallMaxBytes,
                "a controller's certificate is about 2 KB: check the path, or fetch it again with kubeseal --fetch-cert > cert.pem");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"certificate file \"{location}\" does not exist", "fetch it with kubeseal --fetch-cert > cert.pem", FailureKind.Usage, e);
        }
    }

    private static string LocalPath(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile)
            throw new KeywardException($"certificate URL \"{location}\" is not a valid file:// URL", "write it as file:///absolute/path/cert.pem, or pass the path itself", FailureKind.Usage);
        // kubeseal serves file:// from the root of this machine; a host would be a share keyward cannot reach.
        if (!(uri.IsLoopback || uri.Host.Length == 0))
            throw new KeywardException($"certificate URL \"{location}\" names the host {uri.Host}; file:// URLs can only name this machine's files",
                "write it as file:///absolute/path/cert.pem, or copy the certificate here", FailureKind.Usage);
        return uri.LocalPath;
    }

    /// <summary>
    /// One GET, answered 200, within the timeout. Proxies come from the environment (HTTPS_PROXY, NO_PROXY) as with
    /// kubeseal's ProxyFromEnvironment; redirects are followed, but never from https to http.
    /// </summary>
    private static string Fetch(string location, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = timeout, MaxResponseContentBufferSize = MaxResponseBytes };
        var url = Display(location);
        try
        {
            // user:password in the URL is sent as basic authentication, as Go's client (and so kubeseal) sends it.
            var target = new UriBuilder(location);
            var (user, password) = (Uri.UnescapeDataString(target.UserName), Uri.UnescapeDataString(target.Password));
            target.UserName = "";
            target.Password = "";
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Uri);
            if (user.Length > 0 || password.Length > 0)
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            using var response = http.Send(request, HttpCompletionOption.ResponseContentRead);
            if (response.StatusCode != HttpStatusCode.OK)
                throw Failed(url, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(), null);
            using var body = response.Content.ReadAsStream();
            using var reader = new StreamReader(body, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (OperationCanceledException e)
        {
            throw Failed(url, $"no answer within {timeout.TotalSeconds:0.###} s", e);
        }
        catch (Exception e) when (NetworkFailure.Is(e))
        {
            throw Failed(url, NetworkFailure.Describe(e), e);
        }
        catch (UriFormatException e)
        {
            throw Failed(url, "it is not a valid URL", e);
        }
    }

    private static KeywardException Failed(string url, string why, Exception? inner) =>
        new($"cannot fetch the certificate from \"{url}\": {why}",
            "check the URL and the network (and HTTPS_PROXY); or download it once (curl -o cert.pem URL, or kubeseal --fetch-cert > cert.pem) and pass --cert cert.pem",
            FailureKind.Failed, inner);
}
