using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Keyward.Core;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Api;

/// <summary>Time and patience of the API client; injected so tests run on their own clock.</summary>
public sealed record OvhClientOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A client of the OVHcloud API for the calls keyward needs. Signed calls carry <c>X-Ovh-Application</c>,
/// <c>X-Ovh-Consumer</c>, <c>X-Ovh-Timestamp</c> (server time, from the offset measured with <c>GET /auth/time</c>)
/// and <c>X-Ovh-Signature</c>; when a signature is refused the offset is measured again and the call retried once.
/// Unsigned calls carry only <c>X-Ovh-Application</c>. Nothing a credential holds is ever put in an error message.
/// </summary>
public sealed class OvhApiClient : IDisposable
{
    private readonly HttpClient http;
    private readonly OvhClientOptions options;
    private readonly SemaphoreSlim syncLock = new(1, 1);
    private StrongBox<long>? delta;

    public OvhApiClient(HttpClient http, OvhEndpoint endpoint, OvhClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        this.http = http;
        Endpoint = endpoint;
        this.options = options ?? new OvhClientOptions();
    }

    public OvhEndpoint Endpoint { get; }

    /// <summary>Releases the re-sync lock; the HttpClient belongs to the caller and stays open.</summary>
    public void Dispose() => syncLock.Dispose();

    /// <summary>Server time minus local time, in seconds, once measured.</summary>
    public long? TimeDelta => Volatile.Read(ref delta)?.Value;

    /// <summary>Measures the offset between the server's clock and ours with <c>GET /auth/time</c> and keeps it.</summary>
    public async Task<long> SyncTimeAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/auth/time", null, null, signer: null, cancellationToken).ConfigureAwait(false);
        if (!long.TryParse(body.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var serverTime))
            throw new KeywardException($"GET {Endpoint.UrlOf("/auth/time")}: expected a number of seconds, got \"{Truncate(body)}\"", "is --endpoint an OVHcloud API base URL?");
        var offset = serverTime - options.Time.GetUtcNow().ToUnixTimeSeconds();
        Volatile.Write(ref this.delta, new StrongBox<long>(offset));
        return offset;
    }

    /// <summary><c>POST /auth/credential</c>: asks for a consumer key with exactly <paramref name="rules"/>. Unsigned.</summary>
    public async Task<PendingCredential> RequestCredentialAsync(string applicationKey, IReadOnlyList<AccessRule> rules, string? redirection = null,
        IReadOnlyList<string>? allowedIps = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationKey);
        ArgumentNullException.ThrowIfNull(rules);
        var body = CredentialRequestBody(rules, redirection, allowedIps);
        var answer = await SendAsync(HttpMethod.Post, "/auth/credential", body, applicationKey, signer: null, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            var consumerKey = root.GetProperty("consumerKey").GetString();
            var validationUrl = root.GetProperty("validationUrl").GetString();
            if (string.IsNullOrEmpty(consumerKey) || !Uri.TryCreate(validationUrl, UriKind.Absolute, out var url))
                throw new KeywardException("POST /auth/credential: the answer has no consumer key or validation URL", "check --endpoint: it must be an OVHcloud API endpoint such as https://eu.api.ovh.com/1.0", FailureKind.Failed);
            var state = root.TryGetProperty("state", out var s) ? s.GetString() ?? "" : "";
            return new PendingCredential(consumerKey, state, url);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new KeywardException("POST /auth/credential: the answer is not the expected {consumerKey, state, validationUrl}", "check --endpoint: it must be an OVHcloud API endpoint such as https://eu.api.ovh.com/1.0", FailureKind.Failed, e);
        }
    }

    /// <summary>
    /// The exact body sent by <see cref="RequestCredentialAsync"/>: compact JSON, rules in order. Indented, it is
    /// what <c>keyward ovh rules --format json</c> prints.
    /// </summary>
    public static byte[] CredentialRequestBody(IReadOnlyList<AccessRule> rules, string? redirection, IReadOnlyList<string>? allowedIps, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(rules);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteStartArray("accessRules");
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("method", rule.Method);
                json.WriteString("path", rule.Path);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (!string.IsNullOrEmpty(redirection))
                json.WriteString("redirection", redirection);
            if (allowedIps is { Count: > 0 })
            {
                json.WriteStartArray("allowedIPs");
                foreach (var ip in allowedIps)
                    json.WriteStringValue(ip);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary><c>GET /auth/currentCredential</c>: the rules, status and expiry of the credential that signs the call.</summary>
    public async Task<CurrentCredential> GetCurrentCredentialAsync(OvhCredentials credentials, CancellationToken cancellationToken = default)
    {
        var body = await CallAsync(credentials, HttpMethod.Get, "/auth/currentCredential", null, cancellationToken).ConfigureAwait(false);
        return CurrentCredential.Parse(body, "GET /auth/currentCredential");
    }

    /// <summary>A signed call; returns the answer's body. Retries once, after re-measuring the time offset, when the signature is refused.</summary>
    public async Task<string> CallAsync(OvhCredentials credentials, HttpMethod method, string pathAndQuery, byte[]? body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (TimeDelta is null)
            await SyncOnceAsync(null, cancellationToken).ConfigureAwait(false);
        var seen = TimeDelta;
        try
        {
            return await SendAsync(method, pathAndQuery, body, credentials.ApplicationKey, credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (OvhApiException e) when (e.ErrorKind == OvhErrorKind.InvalidSignature)
        {
            // A refused signature is most often a clock that moved since the offset was measured: measure again, retry once.
            await SyncOnceAsync(seen, cancellationToken).ConfigureAwait(false);
            return await SendAsync(method, pathAndQuery, body, credentials.ApplicationKey, credentials, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls <c>GET /auth/currentCredential</c> until the user has validated the key. A pending key answers
    /// INVALID_CREDENTIAL (or 200 with <c>pendingValidation</c>), which here means "not yet"; a refused or expired key,
    /// or the timeout, ends the wait. The user may need minutes on the validation page, so a failure that says nothing
    /// about the key (a 5xx from the API or a proxy, a rate limit, no answer in time, a connection reset) does not end
    /// it either: the next look waits longer each time (doubling, at most a minute), until the timeout.
    /// </summary>
    public async Task<CurrentCredential> WaitForValidationAsync(OvhCredentials credentials, TimeSpan timeout, TimeSpan pollInterval,
        Action<TimeSpan>? onPending = null, Action<KeywardException, TimeSpan>? onTransientFailure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var started = options.Time.GetTimestamp();
        int failures = 0;
        KeywardException? lastFailure = null;
        while (true)
        {
            try
            {
                var current = await GetCurrentCredentialAsync(credentials, cancellationToken).ConfigureAwait(false);
                if (current.Status == CurrentCredential.Validated)
                    return current;
                if (current.Status != CurrentCredential.PendingValidation)
                    throw new KeywardException($"the consumer key is {current.Status}, not validated", "request a new one with keyward ovh request");
                (failures, lastFailure) = (0, null);
            }
            catch (OvhApiException e) when (e.ErrorKind == OvhErrorKind.InvalidCredential)
            {
                // Still pending: the API does not accept a key before its owner validates it.
                (failures, lastFailure) = (0, null);
            }
            catch (KeywardException e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                (failures, lastFailure) = (failures + 1, e);
            }
            var elapsed = options.Time.GetElapsedTime(started);
            if (elapsed + pollInterval > timeout)
                throw new OvhValidationTimeoutException($"the consumer key was not validated within {Describe(timeout)}"
                    + (lastFailure is null ? "" : $" (the last look failed: {lastFailure.Message})"),
                    "open the validation URL, log in and choose a validity, then run the command again (with a longer --timeout if needed)");
            var delay = failures == 0 ? pollInterval : Backoff(pollInterval, failures);
            if (elapsed + delay > timeout)
                delay = timeout - elapsed;
            if (lastFailure is not null)
                onTransientFailure?.Invoke(lastFailure, delay);
            else
                onPending?.Invoke(elapsed);
            await Task.Delay(delay, options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A failure that says nothing about the request or the key, so the same call may work a moment later: the API or
    /// a proxy failing (5xx), a rate limit (429), no answer in time, a connection refused or reset.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        OvhApiException api => api.ErrorKind is OvhErrorKind.ServerError or OvhErrorKind.RateLimited,
        OvhTransportException => true,
        _ => false,
    };

    private static TimeSpan Backoff(TimeSpan pollInterval, int failures)
    {
        var ceiling = pollInterval > MaxBackoff ? pollInterval : MaxBackoff;
        var doubled = pollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        return doubled >= ceiling.TotalMilliseconds ? ceiling : TimeSpan.FromMilliseconds(doubled);
    }

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private async Task SyncOnceAsync(long? seen, CancellationToken cancellationToken)
    {
        await syncLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another call may have re-synced while this one waited for the lock.
            if (TimeDelta is null || TimeDelta == seen)
                await SyncTimeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            syncLock.Release();
        }
    }

    private async Task<string> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? applicationKey, OvhCredentials? signer,
        CancellationToken cancellationToken)
    {
        var url = Endpoint.UrlOf(pathAndQuery);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (applicationKey is not null)
            request.Headers.TryAddWithoutValidation("X-Ovh-Application", applicationKey);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        if (signer is not null)
        {
            var timestamp = options.Time.GetUtcNow().ToUnixTimeSeconds() + (TimeDelta ?? 0);
            var signature = OvhSignature.Compute(signer.ApplicationSecret, signer.ConsumerKeyBytes, method.Method, url, body ?? [], timestamp);
            request.Headers.TryAddWithoutValidation("X-Ovh-Consumer", signer.RevealConsumerKey());
            request.Headers.TryAddWithoutValidation("X-Ovh-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("X-Ovh-Signature", signature);
        }

        using var timeout = new CancellationTokenSource(options.RequestTimeout, options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return text;
            var queryId = response.Headers.TryGetValues("X-Ovh-QueryID", out var ids) ? ids.FirstOrDefault() : null;
            throw OvhErrorMapper.FromResponse(method.Method, pathAndQuery, response.StatusCode, text, queryId);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OvhTransportException($"{method.Method} {url}: no answer within {Describe(options.RequestTimeout)}",
                "the API is slow or unreachable; retry, or check proxies and --endpoint", e);
        }
        catch (Exception e) when (NetworkFailure.Is(e))
        {
            throw new OvhTransportException($"{method.Method} {url}: cannot reach the API ({NetworkFailure.Describe(e)})",
                "check the network, the proxy settings and --endpoint", e);
        }
    }

    public static string Describe(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0} ms" : span.TotalMinutes < 2 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";
}

/// <summary>
/// No validation within the wait: the key is still pending, not lost. A distinct type so that a command that kept the
/// key somewhere can say where, instead of the generic "run the command again" (which would request another key).
/// </summary>
public sealed class OvhValidationTimeoutException : KeywardException
{
    public OvhValidationTimeoutException(string message, string hint) : base(message, hint, FailureKind.Failed) { }

    public OvhValidationTimeoutException() : this("the consumer key was not validated in time") { }

    public OvhValidationTimeoutException(string message) : base(message) { }

    public OvhValidationTimeoutException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>No answer from the API: no answer in time, or the connection refused or reset. The request may not have arrived.</summary>
public sealed class OvhTransportException : KeywardException
{
    public OvhTransportException(string message, string hint, Exception inner) : base(message, hint, FailureKind.Failed, inner) { }

    public OvhTransportException() : this("the OVHcloud API did not answer") { }

    public OvhTransportException(string message) : base(message) { }

    public OvhTransportException(string message, Exception inner) : base(message, inner) { }
}
