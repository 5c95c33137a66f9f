using System.Net;
using Keyward.Core;

namespace Keyward.Ovh.Api;

/// <summary>
/// An API region: its base URL (<c>https://eu.api.ovh.com/1.0</c>) and the createToken page on the same host, as
/// go-ovh and python-ovh name them. A custom base URL is allowed: https anywhere, plain http only on loopback.
/// </summary>
public sealed record OvhEndpoint(string Name, Uri BaseUrl)
{
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ovh-eu"] = "https://eu.api.ovh.com/1.0",
        ["ovh-ca"] = "https://ca.api.ovh.com/1.0",
        ["ovh-us"] = "https://api.us.ovhcloud.com/1.0",
    };

    /// <summary>The host root: the base URL without its <c>/1.0</c> version segment.</summary>
    public Uri HostRoot => new(BaseUrl.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>The token creation page, <c>https://host/createToken/</c>.</summary>
    public Uri CreateTokenPage => new(HostRoot, "createToken/");

    /// <summary>The full URL of an API path, as signed: <c>/v1/</c> and <c>/v2/</c> paths go to the host root like the SDKs do.</summary>
    public string UrlOf(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (pathAndQuery.StartsWith("/v1/", StringComparison.Ordinal) || pathAndQuery.StartsWith("/v2/", StringComparison.Ordinal))
            return HostRoot.ToString().TrimEnd('/') + pathAndQuery;
        return BaseUrl.ToString().TrimEnd('/') + pathAndQuery;
    }

    public static OvhEndpoint Parse(string? nameOrUrl)
    {
        var value = string.IsNullOrWhiteSpace(nameOrUrl) ? "ovh-eu" : nameOrUrl.Trim();
        if (Known.TryGetValue(value, out var known))
            return new OvhEndpoint(value, new Uri(known));
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new KeywardException($"unknown endpoint \"{value}\"", $"use {string.Join(", ", Known.Keys)} or an https:// API base URL", FailureKind.Usage);
        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
            throw new KeywardException($"refusing plain http to \"{url.Host}\"", "signed requests and consumer keys must travel over https; plain http is only for loopback test servers", FailureKind.Usage);
        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            throw new KeywardException($"the endpoint \"{value}\" has a query or fragment", "give the API base URL, e.g. https://eu.api.ovh.com/1.0", FailureKind.Usage);
        return new OvhEndpoint(url.ToString().TrimEnd('/'), new Uri(url.ToString().TrimEnd('/')));
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
