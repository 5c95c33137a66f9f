using System.Net;
using System.Net.Sockets;
using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests.Contract;

/// <summary>The API client against the loopback contract server: signing, time offset, errors, slowness, failures.</summary>
public sealed class OvhApiClientTests : IAsyncLifetime, IDisposable
{
    private const string AppKey = "TDPKJdwZwAQPwKX2";
    private const string AppSecret = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk";
    private const string ConsumerKey = "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY";
    private static readonly (string, string)[] ClusterRules =
        [("GET", "/cloud/project/p1/kube/k1"), ("GET", "/cloud/project/p1/kube/k1/nodepool/*")];

    private readonly OvhContractServer server = new();
    private readonly HttpClient http = new();

    public Task InitializeAsync()
    {
        server.AddApplication(AppKey, AppSecret);
        server.AddCredential(AppKey, ConsumerKey, ClusterRules);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
    }

    private OvhApiClient Client(TimeProvider? time = null, TimeSpan? timeout = null) =>
        new(http, OvhEndpoint.Parse(server.BaseUrl), new OvhClientOptions { Time = time ?? TimeProvider.System, RequestTimeout = timeout ?? TimeSpan.FromSeconds(10) });

    private static OvhCredentials Credentials(string secret = AppSecret, string consumer = ConsumerKey) => new(AppKey, secret, consumer);

    [Fact]
    public async Task Current_credential_is_read_with_a_signature_the_server_accepts()
    {
        using var client = Client();
        using var credentials = Credentials();
        var current = await client.GetCurrentCredentialAsync(credentials);
        Assert.Equal("validated", current.Status);
        Assert.Equal(["GET /cloud/project/p1/kube/k1", "GET /cloud/project/p1/kube/k1/nodepool/*"], current.Rules.Select(r => r.ToString()));
        var signed = server.Requests.Single(r => r.Path == "/1.0/auth/currentCredential");
        Assert.Equal(AppKey, signed.Headers["X-Ovh-Application"]);
        Assert.StartsWith("$1$", signed.Headers["X-Ovh-Signature"], StringComparison.Ordinal);
        Assert.Equal(1, server.TimeCalls);
    }

    [Fact]
    public async Task A_local_clock_ten_minutes_off_is_corrected_by_the_offset_from_auth_time()
    {
        using var client = Client(new ShiftedTimeProvider(TimeSpan.FromMinutes(-10)));
        using var credentials = Credentials();
        var current = await client.GetCurrentCredentialAsync(credentials);
        Assert.Equal("validated", current.Status);
        Assert.InRange(client.TimeDelta!.Value, 599, 601);
        var timestamp = long.Parse(server.Requests.Single(r => r.Path == "/1.0/auth/currentCredential").Headers["X-Ovh-Timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp - server.ServerNow, -2, 2);
    }

    [Fact]
    public async Task The_offset_is_measured_once_and_reused()
    {
        using var client = Client();
        using var credentials = Credentials();
        await client.GetCurrentCredentialAsync(credentials);
        await client.GetCurrentCredentialAsync(credentials);
        await client.CallAsync(credentials, HttpMethod.Get, "/cloud/project/p1/kube/k1", null);
        Assert.Equal(1, server.TimeCalls);
    }

    [Fact]
    public async Task A_clock_that_drifts_after_the_sync_is_resynced_once_and_the_call_retried()
    {
        using var client = Client();
        using var credentials = Credentials();
        await client.GetCurrentCredentialAsync(credentials);
        server.ClockOffset = TimeSpan.FromMinutes(8); // the server's view of time jumps: our cached offset is now stale
        var current = await client.GetCurrentCredentialAsync(credentials);
        Assert.Equal("validated", current.Status);
        Assert.Equal(2, server.TimeCalls);
        Assert.Equal(3, server.Requests.Count(r => r.Path == "/1.0/auth/currentCredential"));
    }

    [Fact]
    public async Task A_wrong_application_secret_is_refused_after_exactly_one_resync()
    {
        using var client = Client();
        using var credentials = Credentials(secret: "wrong-secret-wrong-secret-wrong!");
        var error = await Assert.ThrowsAsync<OvhApiException>(() => client.GetCurrentCredentialAsync(credentials));
        Assert.Equal(OvhErrorKind.InvalidSignature, error.ErrorKind);
        Assert.Equal("INVALID_SIGNATURE", error.ErrorCode);
        Assert.Contains("signature was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("application secret", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", error.Message + error.Hint, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/1.0/auth/currentCredential"));
        Assert.Equal(2, server.TimeCalls);
    }

    [Fact]
    public async Task A_call_outside_the_rules_is_not_granted_and_the_query_is_not_matched()
    {
        using var client = Client();
        using var credentials = Credentials();
        Assert.Contains("\"ok\":true", await client.CallAsync(credentials, HttpMethod.Get, "/cloud/project/p1/kube/k1/nodepool/np1?x=1", null), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<OvhApiException>(() => client.CallAsync(credentials, HttpMethod.Get, "/cloud/project/p1/kube/k1/nodepool", null));
        Assert.Equal(OvhErrorKind.NotGrantedCall, error.ErrorKind);
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Contains("keyward ovh diff", error.Hint, StringComparison.Ordinal);
        Assert.StartsWith("LOOPBACK.test-", error.QueryId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_consumer_key_is_an_invalid_credential()
    {
        using var client = Client();
        using var credentials = Credentials(consumer: "unknownConsumerKeyunknownConsumer");
        var error = await Assert.ThrowsAsync<OvhApiException>(() => client.GetCurrentCredentialAsync(credentials));
        Assert.Equal(OvhErrorKind.InvalidCredential, error.ErrorKind);
        Assert.Contains("validation URL", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("unknownConsumerKey", error.Message + error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_consumer_key_is_an_invalid_credential()
    {
        server.AddCredential(AppKey, "expiredKeyexpiredKeyexpiredKey00", ClusterRules, expiration: DateTimeOffset.UtcNow.AddMinutes(-1));
        using var client = Client();
        using var credentials = Credentials(consumer: "expiredKeyexpiredKeyexpiredKey00");
        var error = await Assert.ThrowsAsync<OvhApiException>(() => client.GetCurrentCredentialAsync(credentials));
        Assert.Equal(OvhErrorKind.InvalidCredential, error.ErrorKind);
    }

    [Fact]
    public async Task Requesting_a_credential_sends_only_the_application_key_and_the_exact_rules()
    {
        using var client = Client();
        var rules = new[] { new AccessRule("GET", "/me"), new AccessRule("GET", "/xdsl/*") };
        var pending = await client.RequestCredentialAsync(AppKey, rules);
        Assert.Equal("pendingValidation", pending.State);
        var sent = server.Requests.Single(r => r.Path == "/1.0/auth/credential");
        // go-ovh's TestNewCkRequest pins this body.
        Assert.Equal("{\"accessRules\":[{\"method\":\"GET\",\"path\":\"/me\"},{\"method\":\"GET\",\"path\":\"/xdsl/*\"}]}", sent.Body);
        Assert.Equal(AppKey, sent.Headers["X-Ovh-Application"]);
        Assert.False(sent.Headers.ContainsKey("X-Ovh-Signature"));
        Assert.False(sent.Headers.ContainsKey("X-Ovh-Consumer"));
        Assert.False(sent.Headers.ContainsKey("X-Ovh-Timestamp"));
        Assert.DoesNotContain(pending.ConsumerKey, pending.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unvalidated_key_is_pending_until_the_user_validates_it()
    {
        using var client = Client();
        var pending = await client.RequestCredentialAsync(AppKey, [new AccessRule("GET", "/cloud/project/p1/kube/k1")]);
        using var credentials = Credentials(consumer: pending.ConsumerKey);
        var refused = await Assert.ThrowsAsync<OvhApiException>(() => client.GetCurrentCredentialAsync(credentials));
        Assert.Equal(OvhErrorKind.InvalidCredential, refused.ErrorKind);

        int polls = 0;
        var waiting = client.WaitForValidationAsync(credentials, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50), elapsed =>
        {
            if (Interlocked.Increment(ref polls) == 3)
                _ = http.GetAsync(pending.ValidationUrl); // the user opens the page and logs in
        });
        var validated = await waiting;
        Assert.Equal("validated", validated.Status);
        Assert.True(polls >= 3);
        Assert.Equal(["GET /cloud/project/p1/kube/k1"], validated.Rules.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Waiting_for_a_key_nobody_validates_ends_at_the_timeout()
    {
        using var client = Client();
        var pending = await client.RequestCredentialAsync(AppKey, [new AccessRule("GET", "/me")]);
        using var credentials = Credentials(consumer: pending.ConsumerKey);
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<OvhValidationTimeoutException>(() => client.WaitForValidationAsync(credentials, TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(100)));
        Assert.Contains("not validated within 600 ms", error.Message, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_unknown_application_key_is_reported_as_such()
    {
        using var client = Client();
        var error = await Assert.ThrowsAsync<OvhApiException>(() => client.RequestCredentialAsync("unknownAppKey", [new AccessRule("GET", "/me")]));
        Assert.Equal(OvhErrorKind.InvalidKey, error.ErrorKind);
        Assert.Contains("--endpoint", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_answer_fails_at_the_request_timeout()
    {
        server.ResponseDelay = TimeSpan.FromSeconds(5);
        using var client = Client(timeout: TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<OvhTransportException>(() => client.SyncTimeAsync());
        Assert.Contains("no answer within 300 ms", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_slow_answer_within_the_timeout_succeeds()
    {
        server.ResponseDelay = TimeSpan.FromMilliseconds(300);
        using var client = Client(timeout: TimeSpan.FromSeconds(5));
        using var credentials = Credentials();
        Assert.Equal("validated", (await client.GetCurrentCredentialAsync(credentials)).Status);
    }

    [Fact]
    public async Task A_connection_reset_is_a_network_failure()
    {
        using var resetting = new ResettingServer();
        using var client = new OvhApiClient(http, OvhEndpoint.Parse(resetting.BaseUrl));
        var error = await Assert.ThrowsAsync<OvhTransportException>(() => client.SyncTimeAsync());
        Assert.True(error.Message.Contains("cannot reach the API", StringComparison.Ordinal), error.Message);
        Assert.Contains("--endpoint", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_a_network_failure()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var client = new OvhApiClient(http, OvhEndpoint.Parse($"http://127.0.0.1:{port}/1.0"));
        var error = await Assert.ThrowsAsync<OvhTransportException>(() => client.SyncTimeAsync());
        Assert.Contains("cannot reach the API", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_authentication_headers_map_to_must_login_first()
    {
        // A bare request without the X-Ovh-* headers, the way a proxy that strips them would forward it.
        using var response = await http.GetAsync(server.BaseUrl + "/auth/currentCredential");
        var error = OvhErrorMapper.FromResponse("GET", "/auth/currentCredential", response.StatusCode, await response.Content.ReadAsStringAsync(), null);
        Assert.Equal(OvhErrorKind.MissingAuthentication, error.ErrorKind);
        Assert.Contains("X-Ovh-Signature", error.Hint, StringComparison.Ordinal);
    }
}
