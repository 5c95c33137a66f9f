using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using Keyward.Testing;

namespace Keyward.Ovh.Tests.Contract;

/// <summary>
/// A loopback stand-in for the OVHcloud API that implements the documented contract of <c>/auth/time</c>,
/// <c>POST /auth/credential</c> and <c>GET /auth/currentCredential</c> (research/apis.md §1.2-1.6), written
/// independently of the code under test: it checks signatures with its own string-concatenation SHA-1, matches rules
/// with the regex apis.md suggests, and answers errors with the legacy <c>{errorCode, httpCode, message}</c> body.
/// Faults can be injected: server clock offset, slow answers, dropped connections.
/// </summary>
public sealed class OvhContractServer : LoopbackHttpServer
{
    private readonly ConcurrentDictionary<string, string> applications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerCredential> credentials = new(StringComparer.Ordinal);
    private long nextCredentialId = 1000;


    /// <summary>The API base URL to give the client: <c>http://127.0.0.1:port/1.0</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/1.0";

    /// <summary>How far the server's clock is ahead of the real one.</summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>How far a request's timestamp may be from the server's clock before its signature is refused.</summary>
    public TimeSpan TimestampWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay before every answer (slow API).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// When set, a pending key is validated (as its owner would in a browser) at its Nth signed call: a user who
    /// validates while the client is waiting.
    /// </summary>
    public int? ValidateOnCall { get; set; }

    /// <summary>
    /// When set, a pending key answers <c>GET /auth/currentCredential</c> with 200 and <c>"status": "pendingValidation"</c>
    /// (a value of <c>auth.CredentialStateEnum</c>) instead of INVALID_CREDENTIAL.
    /// </summary>
    public bool PendingAnswersWithStatus { get; set; }

    /// <summary>The expiration a key validated through <see cref="ValidateOnCall"/> gets: the validity the user chose.</summary>
    public DateTimeOffset? ValidatedExpiration { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private readonly ConcurrentQueue<InjectedFault> faults = new();

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="apiPath"/> (as <c>/auth/currentCredential</c>) get
    /// <paramref name="status"/> with <paramref name="body"/> instead of their answer, after <paramref name="delay"/>:
    /// a proxy's gateway error, a rate limit, a slow answer.
    /// </summary>
    public void Fail(string apiPath, int status, string body, int times = 1, TimeSpan delay = default, string contentType = "text/html")
    {
        for (int i = 0; i < times; i++)
            faults.Enqueue(new InjectedFault(apiPath, status, body, delay, contentType));
    }

    public int TimeCalls => Requests.Count(r => r.Path == "/1.0/auth/time");

    public long ServerNow => DateTimeOffset.UtcNow.Add(ClockOffset).ToUnixTimeSeconds();

    public void AddApplication(string applicationKey, string applicationSecret) => applications[applicationKey] = applicationSecret;

    /// <summary>Registers an already validated consumer key (as if created and validated earlier).</summary>
    public ServerCredential AddCredential(string applicationKey, string consumerKey, IEnumerable<(string Method, string Path)> rules,
        string state = "validated", DateTimeOffset? expiration = null)
    {
        var credential = new ServerCredential(Interlocked.Increment(ref nextCredentialId), applicationKey, consumerKey, rules.ToList(), Guid.NewGuid().ToString("N"))
        {
            State = state,
            Expiration = expiration,
        };
        credentials[consumerKey] = credential;
        return credential;
    }

    public ServerCredential? Credential(string consumerKey) => credentials.GetValueOrDefault(consumerKey);

    public IReadOnlyList<ServerCredential> AllCredentials => credentials.Values.OrderBy(c => c.Id).ToList();

    /// <summary>What the user's browser does on the validation page: log in, validate with a validity.</summary>
    public void Validate(string credentialToken, DateTimeOffset? expiration = null)
    {
        var credential = credentials.Values.Single(c => c.Token == credentialToken);
        credential.State = "validated";
        credential.Expiration = expiration;
    }

    protected override async Task Answer(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
            body = await reader.ReadToEndAsync();
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, path, request.RawUrl ?? "", body,
            request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase)));
        if (ResponseDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(ResponseDelay, Stopping);
            }
            catch (OperationCanceledException)
            {
                context.Response.Abort();
                return;
            }
        }
        var contentType = "application/json; charset=utf-8";
        int status;
        string json;
        if (faults.TryPeek(out var fault) && "/1.0" + fault.ApiPath == path && faults.TryDequeue(out fault))
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Delay, Stopping);
                }
                catch (OperationCanceledException)
                {
                    context.Response.Abort();
                    return;
                }
            }
            (status, json, contentType) = (fault.Status, fault.Body, fault.ContentType);
        }
        else
        {
            (status, json) = Route(request.HttpMethod, path, request.RawUrl ?? path, body, request.Headers, request.QueryString["credentialToken"]);
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.Headers["X-Ovh-QueryID"] = "LOOPBACK.test-" + Requests.Count;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // The client gave up (timeout test): nothing to answer to.
        }
    }

    private (int Status, string Json) Route(string method, string path, string rawUrl, string body, System.Collections.Specialized.NameValueCollection headers, string? token)
    {
        if (method == "GET" && path == "/auth/" && token is not null)
        {
            Validate(token);
            return (200, "\"validated\"");
        }
        if (!path.StartsWith("/1.0/", StringComparison.Ordinal))
            return Error(404, "404 Not Found", null, "Got an invalid (or empty) URL");
        var apiPath = path["/1.0".Length..];
        if (method == "GET" && apiPath == "/auth/time")
            return (200, ServerNow.ToString(CultureInfo.InvariantCulture));
        if (method == "POST" && apiPath == "/auth/credential")
            return NewCredential(headers["X-Ovh-Application"], body);

        var application = headers["X-Ovh-Application"];
        var consumer = headers["X-Ovh-Consumer"];
        var timestamp = headers["X-Ovh-Timestamp"];
        var signature = headers["X-Ovh-Signature"];
        if (application is null || consumer is null || timestamp is null || signature is null)
            return (401, "{\"message\":\"You must login first\"}");
        if (!applications.TryGetValue(application, out var secret))
            return Error(403, "403 Forbidden", "INVALID_KEY", "Invalid application key");
        if (!long.TryParse(timestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ts) || Math.Abs(ts - ServerNow) > TimestampWindow.TotalSeconds)
            return Error(400, "400 Bad Request", "INVALID_SIGNATURE", "Invalid signature");
        var url = $"http://127.0.0.1:{Port}{rawUrl}";
#pragma warning disable CA5350 // SHA-1 is what the API's "$1$" signature is defined with; this is the server side of it.
        var expected = "$1$" + Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes($"{secret}+{consumer}+{method}+{url}+{body}+{timestamp}"))).ToLowerInvariant();
#pragma warning restore CA5350
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            return Error(400, "400 Bad Request", "INVALID_SIGNATURE", "Invalid signature");
        if (credentials.TryGetValue(consumer, out var waiting) && waiting.State == "pendingValidation" && ValidateOnCall is { } n
            && Interlocked.Increment(ref waiting.Calls) >= n)
        {
            waiting.State = "validated";
            waiting.Expiration = ValidatedExpiration;
        }
        if (PendingAnswersWithStatus && method == "GET" && apiPath == "/auth/currentCredential" && credentials.TryGetValue(consumer, out var pending)
            && pending.ApplicationKey == application && pending.State == "pendingValidation")
            return (200, CredentialJson(pending));
        if (!credentials.TryGetValue(consumer, out var credential) || credential.ApplicationKey != application || credential.State != "validated"
            || credential.Expiration is { } expires && expires <= DateTimeOffset.UtcNow)
            return Error(403, "403 Forbidden", "INVALID_CREDENTIAL", "This credential is not valid");
        credential.LastUse = DateTimeOffset.UtcNow;

        // All /auth calls are granted by default; anything else must match a rule.
        if (method == "GET" && apiPath == "/auth/currentCredential")
            return (200, CredentialJson(credential));
        if (!apiPath.StartsWith("/auth/", StringComparison.Ordinal)
            && !credential.Rules.Any(r => r.Method == method && Regex.IsMatch(apiPath, "^" + Regex.Escape(r.Path).Replace("\\*", ".*", StringComparison.Ordinal) + "$")))
            return Error(403, "403 Forbidden", "NOT_GRANTED_CALL", "This call has not been granted");
        return (200, JsonSerializer.Serialize(new { ok = true, path = apiPath }));
    }

    private (int, string) NewCredential(string? application, string body)
    {
        if (application is null || !applications.ContainsKey(application))
            return Error(403, "403 Forbidden", "INVALID_KEY", "Invalid application key");
        List<(string, string)> rules;
        try
        {
            using var document = JsonDocument.Parse(body);
            rules = document.RootElement.GetProperty("accessRules").EnumerateArray()
                .Select(r => (r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!)).ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Error(400, "400 Bad Request", null, "Invalid JSON received");
        }
        var consumerKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var credential = AddCredential(application, consumerKey, rules, state: "pendingValidation");
        return (200, JsonSerializer.Serialize(new
        {
            consumerKey,
            state = "pendingValidation",
            validationUrl = $"http://127.0.0.1:{Port}/auth/?credentialToken={credential.Token}",
        }));
    }

    private static string CredentialJson(ServerCredential c) => JsonSerializer.Serialize(new
    {
        credentialId = c.Id,
        applicationId = 77,
        status = c.State,
        creation = c.Creation.ToString("O", CultureInfo.InvariantCulture),
        expiration = c.Expiration?.ToString("O", CultureInfo.InvariantCulture),
        lastUse = c.LastUse?.ToString("O", CultureInfo.InvariantCulture),
        rules = c.Rules.Select(r => new { method = r.Method, path = r.Path }),
        allowedIPs = (string[]?)null,
        ovhSupport = false,
    });

    private static (int, string) Error(int status, string httpCode, string? errorCode, string message) =>
        (status, JsonSerializer.Serialize(new { errorCode, httpCode, message }));
}

internal sealed record InjectedFault(string ApiPath, int Status, string Body, TimeSpan Delay, string ContentType);

public sealed record RecordedRequest(string Method, string Path, string RawUrl, string Body, IReadOnlyDictionary<string, string> Headers);

public sealed class ServerCredential(long id, string applicationKey, string consumerKey, List<(string Method, string Path)> rules, string token)
{
    public long Id { get; } = id;

    public string ApplicationKey { get; } = applicationKey;

    public string ConsumerKey { get; } = consumerKey;

    public List<(string Method, string Path)> Rules { get; } = rules;

    public string Token { get; } = token;

    public string State { get; set; } = "pendingValidation";

    public DateTimeOffset Creation { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? Expiration { get; set; }

    public DateTimeOffset? LastUse { get; set; }

    /// <summary>Signed calls made with this key (for <see cref="OvhContractServer.ValidateOnCall"/>).</summary>
#pragma warning disable CA1051 // A field so that Interlocked can count on it; test code.
    public int Calls;
#pragma warning restore CA1051
}

/// <summary>A TCP server on loopback that accepts each connection and resets it without a byte: a network failure mid-call.</summary>
public sealed class ResettingServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Task loop;

    public ResettingServer()
    {
        listener.Start();
        loop = Task.Run(async () =>
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync();
                }
                // Stopped by Dispose: while waiting (SocketException, ObjectDisposedException), or before the loop came
                // back to wait, after resetting the test's connection ("Not listening", InvalidOperationException).
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        });
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/1.0";

    public void Dispose()
    {
        listener.Stop();
        loop.Wait(TimeSpan.FromSeconds(5));
        listener.Dispose();
    }
}

/// <summary>A clock that runs with the real one, shifted: a machine whose clock is off.</summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; set; } = offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
