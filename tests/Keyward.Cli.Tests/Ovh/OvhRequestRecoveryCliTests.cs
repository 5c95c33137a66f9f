using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Tests.Contract;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// ovh request once the key exists: a passing API failure does not end the wait, any error says where the key is,
/// and an output that cannot be written is found before the key is created.
/// </summary>
public sealed class OvhRequestRecoveryCliTests : IDisposable
{
    private readonly OvhContractServer server = new();
    private readonly TempDir dir = new();

    public OvhRequestRecoveryCliTests() => server.AddApplication(AppKey, AppSecret);

    public void Dispose()
    {
        server.Dispose();
        dir.Dispose();
    }

    private int KeysRequested => server.Requests.Count(r => r.Method == "POST" && r.Path == "/1.0/auth/credential");

    private CliRunner.Result Request(string output, params string[] extra) =>
        CliRunner.Run(["ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1", "-o", output,
            "--poll-interval", "50ms", "--endpoint", server.BaseUrl, "--application-key", AppKey, .. extra],
            environment: name => name == "OVH_APPLICATION_SECRET" ? AppSecret : null);

    [Fact]
    public void A_gateway_error_while_waiting_is_noted_and_the_wait_goes_on()
    {
        server.Fail("/auth/currentCredential", 502, "<html><h1>502 Bad Gateway</h1></html>");
        server.ValidateOnCall = 2;
        var result = Request(dir.File("ck"), "--timeout", "30s");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("keyward: note: GET /auth/currentCredential: the OVHcloud API failed (http 502", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("looking again in", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("validated: credential", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, KeysRequested);
    }

    [Fact]
    public void An_error_after_the_key_exists_names_the_file_that_holds_it()
    {
        var keyFile = dir.File("ck");
        server.Fail("/auth/currentCredential", 403, "{\"errorCode\":\"INVALID_KEY\",\"message\":\"Invalid application key\"}", times: 1000, contentType: "application/json");
        var result = Request(keyFile, "--timeout", "30s");
        Assert.Equal(1, result.ExitCode);
        var hint = result.Stderr.Split('\n').Single(l => l.StartsWith("keyward: hint: ", StringComparison.Ordinal));
        Assert.Contains($"\"{keyFile}\"", hint, StringComparison.Ordinal);
        Assert.Contains($"keyward ovh inspect --consumer-key-file {keyFile}", hint, StringComparison.Ordinal);
        Assert.Contains("--endpoint", hint, StringComparison.Ordinal); // the error's own hint is kept
        Assert.True(File.Exists(keyFile));
    }

    [Fact]
    public void The_wait_says_beforehand_where_the_key_is_in_case_it_is_interrupted()
    {
        var keyFile = dir.File("ck");
        var result = Request(keyFile, "--timeout", "200ms");
        var waiting = result.Stderr.Split('\n').Single(l => l.StartsWith("keyward: waiting up to", StringComparison.Ordinal));
        Assert.Contains($"if you stop waiting, the key is in \"{keyFile}\"", waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_whose_temporary_file_cannot_be_created_is_refused_before_the_key_exists()
    {
        // 240 characters is a valid file name, but not once the write's temporary suffix is added (255 at most): the
        // write would fail after the key exists; the check before the request creates that very temporary file.
        var output = dir.File(new string('k', 240));
        var result = Request(output, "--no-wait");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot write", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, KeysRequested);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
