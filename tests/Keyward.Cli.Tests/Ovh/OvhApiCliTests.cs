using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>request, inspect, secret and rotate against the loopback contract server; secrets never reach the output.</summary>
public sealed class OvhApiCliTests : IDisposable
{
    private readonly OvhContractServer server = new();
    private readonly TempDir dir = new();

    public OvhApiCliTests()
    {
        server.AddApplication(AppKey, AppSecret);
        server.AddCredential(AppKey, ConsumerKey, KarpenterRules);
    }

    public void Dispose()
    {
        server.Dispose();
        dir.Dispose();
    }

    private string[] Api(params string[] args) => [.. args, "--endpoint", server.BaseUrl, "--application-key", AppKey];

    private static Func<string, string?> Env(string? consumerKey = ConsumerKey) => name => name switch
    {
        "OVH_APPLICATION_SECRET" => AppSecret,
        "OVH_CONSUMER_KEY" => consumerKey,
        _ => null,
    };

    private static void NoSecrets(CliRunner.Result result, params string[] secrets)
    {
        foreach (var secret in secrets.Append(AppSecret))
        {
            Assert.DoesNotContain(secret, result.StdoutText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Request_creates_a_key_with_the_profiles_rules_prints_the_url_and_waits_for_validation()
    {
        server.ValidateOnCall = 3;
        var keyFile = dir.File("ck");
        var result = CliRunner.Run(Api("ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1",
            "-o", keyFile, "--poll-interval", "50ms", "--timeout", "30s"), environment: Env(consumerKey: null));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var created = server.AllCredentials[^1];
        Assert.Equal(KarpenterRules, created.Rules);
        Assert.Equal($"http://127.0.0.1:{server.Port}/auth/?credentialToken={created.Token}\n", result.StdoutText);
        Assert.Equal(created.ConsumerKey + "\n", File.ReadAllText(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Contains($"validated: credential {created.Id}", result.Stderr, StringComparison.Ordinal);
        NoSecrets(result, created.ConsumerKey);
    }

    [Fact]
    public void Request_gives_up_at_the_timeout_and_keeps_the_pending_key()
    {
        var keyFile = dir.File("ck");
        var result = CliRunner.Run(Api("ovh", "request", "--profile", "cluster-autoscaler-mks", "--service-name", "p1", "--kube-id", "k1",
            "-o", keyFile, "--poll-interval", "50ms", "--timeout", "400ms"), environment: Env(consumerKey: null));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not validated within 400 ms", result.Stderr, StringComparison.Ordinal);
        // Running request again would create a second key: the hint points at the one already written.
        Assert.Contains($"keyward ovh inspect --consumer-key-file {keyFile}", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(keyFile));
        Assert.Equal("pendingValidation", server.AllCredentials[^1].State);
    }

    [Fact]
    public void Request_needs_every_id()
    {
        var result = CliRunner.Run(Api("ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "-o", dir.File("ck")), environment: Env());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--kube-id", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("--timeout", "5x")]
    [InlineData("--poll-interval", "0s")]
    public void Request_checks_its_options_before_creating_a_key(string option, string value)
    {
        var result = CliRunner.Run(Api("ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1",
            "-o", dir.File("ck"), option, value), environment: Env(consumerKey: null));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Request_refuses_an_output_it_could_not_write_or_that_holds_a_key_before_creating_one()
    {
        var missingFolder = CliRunner.Run(Api("ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1",
            "-o", Path.Combine(dir.Path, "nodir", "ck"), "--no-wait"), environment: Env(consumerKey: null));
        Assert.Equal(2, missingFolder.ExitCode);
        Assert.Contains("nodir", missingFolder.Stderr, StringComparison.Ordinal);

        var keyFile = dir.File("ck");
        File.WriteAllText(keyFile, "OldConsumerKeyStillInUse\n");
        var existing = CliRunner.Run(Api("ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1",
            "-o", keyFile, "--no-wait"), environment: Env(consumerKey: null));
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains("--force", existing.Stderr, StringComparison.Ordinal);
        Assert.Equal("OldConsumerKeyStillInUse\n", File.ReadAllText(keyFile));
        Assert.Empty(server.Requests);

        var forced = CliRunner.Run(Api("ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1",
            "-o", keyFile, "--no-wait", "--force"), environment: Env(consumerKey: null));
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(server.AllCredentials[^1].ConsumerKey + "\n", File.ReadAllText(keyFile));
    }

    [Fact]
    public void Inspect_reports_status_grades_and_matches_the_profile()
    {
        var result = CliRunner.Run(Api("ovh", "inspect", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1"), environment: Env());
        Assert.True(result.ExitCode == 0, result.Stderr + result.StdoutText);
        Assert.Contains(": validated", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("overall: minimal (recommended)", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("exactly what the profile needs", result.StdoutText, StringComparison.Ordinal);
        NoSecrets(result, ConsumerKey);
    }

    [Fact]
    public void Inspect_fails_for_a_broad_key_and_lists_what_it_grants_too_much()
    {
        server.AddCredential(AppKey, "BroadConsumerKeyBroadConsumerKey", [("GET", "/cloud/*"), ("PUT", "/cloud/*")]);
        var result = CliRunner.Run(Api("ovh", "inspect", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1"), environment: Env("BroadConsumerKeyBroadConsumerKey"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("overall: critical", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("will fail (NOT_GRANTED_CALL): POST", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("grants more than needed (critical, All projects): GET /cloud/*", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_maps_an_unvalidated_key_to_what_to_do()
    {
        server.AddCredential(AppKey, "PendingConsumerKeyPendingConsume", KarpenterRules, state: "pendingValidation");
        var result = CliRunner.Run(Api("ovh", "inspect"), environment: Env("PendingConsumerKeyPendingConsume"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the consumer key is not valid", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: it was never validated", result.Stderr, StringComparison.Ordinal);
        NoSecrets(result, "PendingConsumerKeyPendingConsume");
    }

    [Fact]
    public void Inspect_reads_the_consumer_key_from_a_file_or_a_prompt()
    {
        var file = dir.File("ck");
        File.WriteAllText(file, ConsumerKey + "\n");
        var fromFile = CliRunner.Run(Api("ovh", "inspect", "--consumer-key-file", file), environment: name => name == "OVH_APPLICATION_SECRET" ? AppSecret : null);
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        var prompts = new List<string>();
        var fromPrompt = CliRunner.Run(Api("ovh", "inspect"), readSecret: p => { prompts.Add(p); return p.Contains("secret", StringComparison.Ordinal) ? AppSecret : ConsumerKey; });
        Assert.True(fromPrompt.ExitCode == 0, fromPrompt.Stderr);
        Assert.Equal(["OVH application secret: ", "OVH consumer key: "], prompts);
    }

    [Fact]
    public void Secret_writes_a_sops_file_for_the_repositorys_recipients_with_readable_annotations()
    {
        using var identity = X25519Identity.Generate();
        File.WriteAllText(dir.File(".sops.yaml"), $"creation_rules:\n  - path_regex: \\.sops\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: {identity.Recipient}\n");
        var output = dir.File("ovh-credentials.sops.yaml");
        var result = CliRunner.Run(Api("ovh", "secret", "--namespace", "karpenter", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1", "-o", output), environment: Env());
        Assert.True(result.ExitCode == 0, result.Stderr);
        NoSecrets(result, ConsumerKey);

        var text = File.ReadAllText(output);
        Assert.DoesNotContain(ConsumerKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
        Assert.Contains("keyward.io/ovh-profile: \"karpenter-mks\"", text, StringComparison.Ordinal);
        Assert.Contains("ENC[AES256_GCM,", text, StringComparison.Ordinal);

        var identities = new IdentitySet();
        identities.Add([identity], "test");
        var (plaintext, target) = SopsSecretStore.Decrypt(Encoding.UTF8.GetBytes(text), output, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, output);
        using (credentials)
        {
            Assert.Equal(ConsumerKey, credentials.RevealConsumerKey());
            Assert.Equal(AppSecret, credentials.RevealApplicationSecret());
        }
        Assert.Equal(server.Credential(ConsumerKey)!.Id, metadata.CredentialId);
        Assert.Equal(8, metadata.Rules.Count);
        Assert.Equal([identity.Recipient.ToString()], target.AgeKeyGroups.Single());
    }

    [Fact]
    public void Secret_without_recipients_is_refused_before_asking_anything()
    {
        var result = CliRunner.Run(Api("ovh", "secret", "--namespace", "karpenter", "-o", dir.File("s.sops.yaml")), environment: Env());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no .sops.yaml", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Plaintext_goes_to_stdout_only_and_only_when_asked()
    {
        var refused = CliRunner.Run(Api("ovh", "secret", "--namespace", "karpenter", "--plaintext", "-o", dir.File("x.yaml")), environment: Env());
        Assert.Equal(2, refused.ExitCode);
        Assert.False(File.Exists(dir.File("x.yaml")));

        var result = CliRunner.Run(Api("ovh", "secret", "--namespace", "karpenter", "--plaintext", "--offline", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1"), environment: Env());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"consumerKey: \"{ConsumerKey}\"", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("plaintext", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Rotate_replaces_the_key_keeps_rules_and_recipients_and_prints_the_revocation()
    {
        using var identity = X25519Identity.Generate();
        var keyFile = dir.File("age.key");
        File.WriteAllText(keyFile, identity.ExportSecretKey() + "\n");
        var output = dir.File("ovh.sops.yaml");
        var written = CliRunner.Run(Api("ovh", "secret", "--namespace", "karpenter", "--profile", "karpenter-mks", "-o", output, "--age", identity.Recipient.ToString()!), environment: Env());
        Assert.True(written.ExitCode == 0, written.Stderr);
        var oldId = server.Credential(ConsumerKey)!.Id;

        server.ValidateOnCall = 2;
        var result = CliRunner.Run(["ovh", "rotate", output, "-i", keyFile, "--endpoint", server.BaseUrl, "--poll-interval", "50ms", "--timeout", "30s"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var fresh = server.AllCredentials[^1];
        Assert.NotEqual(ConsumerKey, fresh.ConsumerKey);
        Assert.Equal(KarpenterRules, fresh.Rules);
        Assert.Contains($"DELETE {server.BaseUrl}/me/api/credential/{oldId}\n", result.StdoutText, StringComparison.Ordinal);
        NoSecrets(result, ConsumerKey, fresh.ConsumerKey);

        var identities = new IdentitySet();
        identities.Add([identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(output), output, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, output);
        using (credentials)
            Assert.Equal(fresh.ConsumerKey, credentials.RevealConsumerKey());
        Assert.Equal(fresh.Id, metadata.CredentialId);
        Assert.Equal("karpenter-mks", metadata.Profile);
    }

    [Fact]
    public void Inspect_with_a_clock_100_days_ahead_still_signs_and_warns_about_the_keys_age()
    {
        var result = CliRunner.Run(Api("ovh", "inspect"), environment: Env(), time: new ShiftedTimeProvider(TimeSpan.FromDays(100)));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("the credential is 100 days old", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, server.TimeCalls);
    }

    [Fact]
    public void Rotate_uses_the_recorded_rules_when_the_old_key_is_already_invalid()
    {
        using var identity = X25519Identity.Generate();
        var keyFile = dir.File("age.key");
        File.WriteAllText(keyFile, identity.ExportSecretKey() + "\n");
        var output = dir.File("ovh.sops.yaml");
        var written = CliRunner.Run(Api("ovh", "secret", "--namespace", "karpenter", "-o", output, "--age", identity.Recipient.ToString()!), environment: Env());
        Assert.True(written.ExitCode == 0, written.Stderr);
        var old = server.Credential(ConsumerKey)!;
        old.State = "expired";

        server.ValidateOnCall = 1;
        var result = CliRunner.Run(["ovh", "rotate", output, "-i", keyFile, "--endpoint", server.BaseUrl, "--poll-interval", "50ms", "--timeout", "30s"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("the old consumer key is no longer valid; using the rules recorded in the file", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(KarpenterRules, server.AllCredentials[^1].Rules);
        Assert.Contains($"/me/api/credential/{old.Id}\n", result.StdoutText, StringComparison.Ordinal);
    }
}
