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

    /// <summary>The environment variable that holds the credentials for an http(s) --cert, off the command line.</summary>
    public const string AuthVariable = "KEYWARD_CERT_AUTH";

    /// <summary>
    /// <paramref name="location"/> as messages name it: a URL's whole user information (<c>https://TOKEN@host</c>,
    /// <c>https://user:password@host</c>: a deploy token in a CI job) replaced by <c>***</c>, since errors and
    /// warnings end up in logs. It is taken to end at the last <c>@</c> of the URL, so a password holding <c>@</c>,
    /// <c>/</c>, <c>?</c> or <c>#</c> is hidden whole; a URL with an <c>@</c> in its path shows less than it could.
    /// </summary>
    public static string Display(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (UrlScheme().Match(location) is not { Success: true } scheme)
            return location;
        int at = location.LastIndexOf('@');
        return at < scheme.Length ? location : string.Concat(location.AsSpan(0, scheme.Length), "***", location.AsSpan(at));
    }

    /// <summary>Whether <paramref name="location"/> is a URL that may carry credentials (an <c>@</c> after its scheme).</summary>
    public static bool HasCredentials(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return UrlScheme().Match(location) is { Success: true } scheme && location.LastIndexOf('@') >= scheme.Length;
    }

    /// <summary>
    /// The certificate's text. Errors name <paramref name="location"/> as it was given, its credentials masked.
    /// <paramref name="auth"/> (<c>user:password</c>, or a token alone, as in <c>https://TOKEN@host</c>) is sent as
    /// basic authentication to an http(s) URL that holds no credentials of its own.
    /// </summary>
    public static string ReadText(string location, TimeSpan? timeout = null, string? auth = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Scheme(location) switch
        {
            null => ReadFile(location, location),
            "file" => ReadFile(LocalPath(location), Display(location)),
            "http" or "https" => Fetch(location, timeout ?? DefaultTimeout, auth),
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
            // location is shown as given for a file name, masked for a file:// URL.
            throw new KeywardException($"certificate file \"{location}\" does not exist", "fetch it with kubeseal --fetch-cert > cert.pem", FailureKind.Usage, e);
        }
    }

    private static string LocalPath(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile)
            throw new KeywardException($"certificate URL \"{Display(location)}\" is not a valid file:// URL", "write it as file:///absolute/path/cert.pem, or pass the path itself", FailureKind.Usage);
        // kubeseal serves file:// from the root of this machine; a host would be a share keyward cannot reach.
        if (!(uri.IsLoopback || uri.Host.Length == 0))
            throw new KeywardException($"certificate URL \"{Display(location)}\" names the host {uri.Host}; file:// URLs can only name this machine's files",
                "write it as file:///absolute/path/cert.pem, or copy the certificate here", FailureKind.Usage);
        return uri.LocalPath;
    }

    /// <summary>
    /// One GET, answered 200, within the timeout. Proxies come from the environment (HTTPS_PROXY, NO_PROXY) as with
    /// kubeseal's ProxyFromEnvironment; redirects are followed, but never from https to http.
    /// </summary>
    private static string Fetch(string location, TimeSpan timeout, string? auth)
    {
        using var http = new HttpClient { Timeout = timeout, MaxResponseContentBufferSize = MaxResponseBytes };
        var url = Display(location);
        try
        {
            // user:password in the URL is sent as basic authentication, as Go's client (and so kubeseal) sends it.
            var (target, userInfo) = SplitUserInfo(location);
            var credentials = userInfo ?? auth;
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            if (!string.IsNullOrEmpty(credentials))
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", BasicCredentials(credentials, unescape: userInfo is not null));
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

    /// <summary>
    /// The URL without its user information, and that information. As Go's url.Parse reads it: the authority ends at
    /// the first <c>/</c>, <c>?</c> or <c>#</c> after the scheme, and the user information at its last <c>@</c>.
    /// </summary>
    private static (Uri Target, string? UserInfo) SplitUserInfo(string location)
    {
        int start = UrlScheme().Match(location).Length;
        int authorityEnd = location.IndexOfAny(['/', '?', '#'], start);
        if (authorityEnd < 0)
            authorityEnd = location.Length;
        int at = location.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        if (at < 0)
            return (new Uri(location, UriKind.Absolute), null);
        // Any other @ (a password with '/' not written %2F) leaves a URL that is not one: refused, and shown masked.
        var target = new Uri(string.Concat(location.AsSpan(0, start), location.AsSpan(at + 1)), UriKind.Absolute);
        if (target.UserInfo.Length > 0)
            throw new UriFormatException("more than one user information");
        return (target, location[start..at]);
    }

    /// <summary>The value of a basic Authorization header: user and password split at the first colon, each unescaped when from a URL.</summary>
    private static string BasicCredentials(string userInfo, bool unescape)
    {
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var (user, password) = colon < 0 ? (userInfo, "") : (userInfo[..colon], userInfo[(colon + 1)..]);
        if (unescape)
            (user, password) = (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        var bytes = Encoding.UTF8.GetBytes($"{user}:{password}");
        try
        {
            return Convert.ToBase64String(bytes);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static KeywardException Failed(string url, string why, Exception? inner) =>
        new($"cannot fetch the certificate from \"{url}\": {why}",
            "check the URL and the network (and HTTPS_PROXY); or download it once (curl -o cert.pem URL, or kubeseal --fetch-cert > cert.pem) and pass --cert cert.pem",
            FailureKind.Failed, inner);
}
