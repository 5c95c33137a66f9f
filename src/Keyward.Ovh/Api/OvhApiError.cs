using System.Net;
using System.Text.Json;
using Keyward.Core;

namespace Keyward.Ovh.Api;

/// <summary>What went wrong, classified from the API's <c>errorCode</c> and message rather than from the HTTP class.</summary>
public enum OvhErrorKind
{
    Unknown,
    NotGrantedCall,
    InvalidCredential,
    InvalidKey,
    InvalidSignature,
    MissingAuthentication,
    NotCredential,
    Forbidden,
    BadParameters,
    NotFound,
    Conflict,
    Expired,
    RateLimited,
    ServerError,
}

/// <summary>An error answer of the API: status, <c>errorCode</c> (legacy body) or <c>class</c> (newer body), message, query id.</summary>
public sealed class OvhApiException : KeywardException
{
    public OvhApiException(OvhErrorKind kind, HttpStatusCode status, string? errorCode, string? errorClass, string apiMessage, string? queryId,
        string message, string hint)
        : base(message, hint, FailureKind.Failed)
    {
        ErrorKind = kind;
        Status = status;
        ErrorCode = errorCode;
        ErrorClass = errorClass;
        ApiMessage = apiMessage;
        QueryId = queryId;
    }

    public OvhApiException() : this("ovh api error") { }

    public OvhApiException(string message) : this(message, new InvalidOperationException(message)) { }

    public OvhApiException(string message, Exception inner) : base(message, inner) => ApiMessage = message;

    public OvhErrorKind ErrorKind { get; }

    public HttpStatusCode Status { get; }

    public string? ErrorCode { get; }

    public string? ErrorClass { get; }

    public string ApiMessage { get; } = "";

    public string? QueryId { get; }
}

/// <summary>Turns an error answer into what the user must do, as the guide's troubleshooting section wants.</summary>
public static class OvhErrorMapper
{
    public static OvhErrorKind Classify(HttpStatusCode status, string? errorCode, string? message)
    {
        switch (errorCode)
        {
            case "NOT_GRANTED_CALL": return OvhErrorKind.NotGrantedCall;
            case "INVALID_CREDENTIAL": return OvhErrorKind.InvalidCredential;
            case "INVALID_KEY": return OvhErrorKind.InvalidKey;
            case "INVALID_SIGNATURE": return OvhErrorKind.InvalidSignature;
            case "NOT_CREDENTIAL": return OvhErrorKind.NotCredential;
            case "FORBIDDEN": return OvhErrorKind.Forbidden;
            default: break;
        }
        // Newer bodies carry only a class and a message; the message is the stable part.
        var text = message ?? "";
        if (text.Contains("not been granted", StringComparison.OrdinalIgnoreCase))
            return OvhErrorKind.NotGrantedCall;
        if (text.Contains("credential is not valid", StringComparison.OrdinalIgnoreCase))
            return OvhErrorKind.InvalidCredential;
        if (text.Contains("Invalid application key", StringComparison.OrdinalIgnoreCase))
            return OvhErrorKind.InvalidKey;
        if (text.Contains("Invalid signature", StringComparison.OrdinalIgnoreCase))
            return OvhErrorKind.InvalidSignature;
        if (text.Contains("must login first", StringComparison.OrdinalIgnoreCase))
            return OvhErrorKind.MissingAuthentication;
        return (int)status switch
        {
            400 => OvhErrorKind.BadParameters,
            401 => OvhErrorKind.MissingAuthentication,
            403 => OvhErrorKind.Forbidden,
            404 => OvhErrorKind.NotFound,
            409 => OvhErrorKind.Conflict,
            429 => OvhErrorKind.RateLimited,
            460 => OvhErrorKind.Expired,
            >= 500 => OvhErrorKind.ServerError,
            _ => OvhErrorKind.Unknown,
        };
    }

    /// <summary>Builds the exception for an error answer to <paramref name="method"/> <paramref name="path"/>.</summary>
    public static OvhApiException FromResponse(string method, string path, HttpStatusCode status, string body, string? queryId)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var (errorCode, errorClass, apiMessage) = ParseBody(body);
        var kind = Classify(status, errorCode, apiMessage);
        var call = $"{method} {path}";
        // An empty answer (a redirect, a proxy's bare error) has no message to quote: say so rather than quote "".
        var quoted = string.IsNullOrWhiteSpace(apiMessage) ? ", no message" : $": \"{Shorten(apiMessage)}\"";
        var said = $"(http {(int)status}{(errorCode is null ? "" : ", " + errorCode)}{(errorClass is null ? "" : ", " + errorClass)}{quoted}{(queryId is null ? "" : ", query id " + queryId)})";
        var (message, hint) = kind switch
        {
            OvhErrorKind.NotGrantedCall => ($"{call}: the consumer key's rules do not allow this call {said}",
                "add the rule that covers it (keyward ovh diff shows which), and remember /x/* does not cover /x; check that the project and cluster ids in the rules are this cluster's"),
            OvhErrorKind.InvalidCredential => ($"{call}: the consumer key is not valid {said}",
                "it was never validated (open the validation URL and log in), it expired (its validity was not 'Unlimited'), or it was revoked: request a new one with keyward ovh request"),
            OvhErrorKind.InvalidKey => ($"{call}: the application key is unknown to this endpoint {said}",
                "check the application key and that --endpoint is the region where the application was created (ovh-eu, ovh-ca, ovh-us)"),
            OvhErrorKind.InvalidSignature => ($"{call}: the signature was refused {said}",
                "keyward already re-measured the clock offset with /auth/time and retried, so the clock is not the cause: check that the application secret belongs to this application key (a key still pending validation has also been reported to answer this)"),
            OvhErrorKind.MissingAuthentication => ($"{call}: the request carried no usable credentials {said}",
                "the X-Ovh-Application, X-Ovh-Consumer, X-Ovh-Timestamp and X-Ovh-Signature headers are all needed; a proxy may have stripped them"),
            OvhErrorKind.NotCredential => ($"{call}: no consumer key was sent {said}", "give the consumer key (prompt, --consumer-key-file or OVH_CONSUMER_KEY)"),
            OvhErrorKind.Forbidden => ($"{call}: forbidden {said}", "the account or its IAM policies refuse this call; check the rules and the account's IAM policies"),
            OvhErrorKind.Expired => ($"{call}: the resource has expired {said}", "the service behind this path is expired or suspended"),
            OvhErrorKind.RateLimited => ($"{call}: rate limited {said}", "wait and retry"),
            OvhErrorKind.ServerError => ($"{call}: the OVHcloud API failed {said}", "retry later; quote the query id if you contact support"),
            OvhErrorKind.NotFound => ($"{call}: not found {said}", "check the ids in the path and the endpoint's region"),
            _ when (int)status is >= 300 and < 400 => ($"{call}: the API answered with a redirect {said}",
                "keyward does not follow redirects, since a signed request must reach the URL it was signed for: check --endpoint (ovh-eu, ovh-ca, ovh-us, or the API's base URL such as https://eu.api.ovh.com/1.0)"),
            _ => ($"{call}: the API refused the request {said}", string.IsNullOrWhiteSpace(apiMessage)
                ? "the API gave no reason: check --endpoint, and quote the query id if you contact support"
                : "the API's message above says why"),
        };
        return new OvhApiException(kind, status, errorCode, errorClass, apiMessage, queryId, message, hint);
    }

    private static (string? Code, string? Class, string Message) ParseBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null, body);
            return (Text(root, "errorCode"), Text(root, "class"), Text(root, "message") ?? "");
        }
        catch (JsonException)
        {
            return (null, null, body);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 200 ? oneLine : oneLine[..200] + "...";
    }
}
