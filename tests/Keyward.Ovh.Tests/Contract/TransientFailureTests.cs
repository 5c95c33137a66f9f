using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests.Contract;

/// <summary>
/// The validation wait lasts minutes while the user is on the validation page; a failure that says nothing about the
/// key (a proxy's 502, a rate limit, a slow answer, a reset connection) must not end it, while one that does (an
/// unknown application) still does at once.
/// </summary>
public sealed class TransientFailureTests : IDisposable
{
    private const string AppKey = "TDPKJdwZwAQPwKX2";
    private const string AppSecret = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk";

    private readonly OvhContractServer server = new();
    private readonly HttpClient http = new();

    public TransientFailureTests() => server.AddApplication(AppKey, AppSecret);

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
    }

    private OvhApiClient Client() =>
        new(http, OvhEndpoint.Parse(server.BaseUrl), new OvhClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(500) });

    private async Task<(OvhApiClient Client, OvhCredentials Credentials)> PendingKey()
    {
        var client = Client();
        var pending = await client.RequestCredentialAsync(AppKey, [new AccessRule("GET", "/cloud/project/p1/kube/k1")]);
        await client.SyncTimeAsync();
        return (client, new OvhCredentials(AppKey, AppSecret, pending.ConsumerKey));
    }

    [Theory]
    [InlineData(502, "<html><h1>502 Bad Gateway</h1></html>", 0)]
    [InlineData(503, "", 0)]
    [InlineData(429, "{\"message\":\"Too many requests\"}", 0)]
    [InlineData(200, "{}", 2000)] // slower than the request timeout
    public async Task A_failure_that_says_nothing_about_the_key_does_not_end_the_wait(int status, string body, int delayMs)
    {
        var (client, credentials) = await PendingKey();
        using (client)
        using (credentials)
        {
            server.Fail("/auth/currentCredential", status, body, times: 2, delay: TimeSpan.FromMilliseconds(delayMs));
            server.ValidateOnCall = 2; // the user validates while the API is failing
            var retries = new List<TimeSpan>();
            var validated = await client.WaitForValidationAsync(credentials, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50),
                onTransientFailure: (_, retry) => retries.Add(retry));
            Assert.Equal("validated", validated.Status);
            // Each failure in a row waits twice as long before the next look.
            Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], retries);
        }
    }

    [Fact]
    public async Task A_failure_that_lasts_until_the_timeout_ends_it_as_a_timeout_naming_the_failure()
    {
        var (client, credentials) = await PendingKey();
        using (client)
        using (credentials)
        {
            server.Fail("/auth/currentCredential", 502, "<html>bad gateway</html>", times: 1000);
            var error = await Assert.ThrowsAsync<OvhValidationTimeoutException>(() =>
                client.WaitForValidationAsync(credentials, TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(50)));
            Assert.Contains("not validated within 800 ms", error.Message, StringComparison.Ordinal);
            Assert.Contains("http 502", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_failure_about_the_request_still_ends_the_wait_at_once()
    {
        var (client, credentials) = await PendingKey();
        using (client)
        using (credentials)
        {
            server.Fail("/auth/currentCredential", 403, "{\"errorCode\":\"INVALID_KEY\",\"message\":\"Invalid application key\"}", times: 1000);
            var error = await Assert.ThrowsAsync<OvhApiException>(() =>
                client.WaitForValidationAsync(credentials, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)));
            Assert.Equal(OvhErrorKind.InvalidKey, error.ErrorKind);
        }
    }

    [Fact]
    public async Task A_reset_connection_is_transient()
    {
        using var resetting = new ResettingServer();
        using var client = new OvhApiClient(http, OvhEndpoint.Parse(resetting.BaseUrl));
        Assert.True(OvhApiClient.IsTransient(await Assert.ThrowsAsync<OvhTransportException>(() => client.SyncTimeAsync())));
    }

    [Fact]
    public void Only_server_errors_rate_limits_and_missing_answers_are_transient()
    {
        Assert.True(OvhApiClient.IsTransient(OvhErrorMapper.FromResponse("GET", "/x", System.Net.HttpStatusCode.BadGateway, "", null)));
        Assert.True(OvhApiClient.IsTransient(OvhErrorMapper.FromResponse("GET", "/x", System.Net.HttpStatusCode.TooManyRequests, "", null)));
        Assert.True(OvhApiClient.IsTransient(new OvhTransportException("GET /x: no answer within 30 s")));
        Assert.False(OvhApiClient.IsTransient(OvhErrorMapper.FromResponse("GET", "/x", System.Net.HttpStatusCode.Forbidden, "{\"errorCode\":\"NOT_GRANTED_CALL\"}", null)));
        Assert.False(OvhApiClient.IsTransient(new KeywardException("GET /auth/currentCredential: the answer is not valid JSON")));
    }

    [Fact]
    public async Task A_pending_key_answered_with_status_pending_validation_is_waited_for()
    {
        var (client, credentials) = await PendingKey();
        using (client)
        using (credentials)
        {
            server.PendingAnswersWithStatus = true;
            server.ValidateOnCall = 3;
            var validated = await client.WaitForValidationAsync(credentials, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
            Assert.Equal("validated", validated.Status);
        }
    }
}
