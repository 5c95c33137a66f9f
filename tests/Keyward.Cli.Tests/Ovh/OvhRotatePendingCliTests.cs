using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// A new key that is not validated in time is kept, encrypted, beside the file; the next rotate continues with it
/// rather than requesting a second key that would leave the first one live and unrecorded.
/// </summary>
public sealed class OvhRotatePendingCliTests : OvhRotateFixture
{
    private string Pending => CredentialsFile + ".pending";

    private int KeysRequested => Server.Requests.Count(r => r.Method == "POST" && r.Path == "/1.0/auth/credential");

    private CliRunner.Result Rotate(string timeout, params string[] extra) =>
        CliRunner.Run(["ovh", "rotate", CredentialsFile, "-i", KeyFile, "--poll-interval", "50ms", "--timeout", timeout, .. extra]);

    private string StoredConsumerKey()
    {
        var identities = new IdentitySet();
        identities.Add([Identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(CredentialsFile), CredentialsFile, identities);
        var (_, credentials) = OvhSecretManifest.Read(plaintext, CredentialsFile);
        using (credentials)
            return credentials.RevealConsumerKey();
    }

    private static void NoSecrets(CliRunner.Result result, params string[] secrets)
    {
        foreach (var secret in secrets.Append(AppSecret))
        {
            Assert.DoesNotContain(secret, result.StdoutText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>A first rotate whose key nobody validates in time.</summary>
    private ServerCredential TimedOut()
    {
        var before = File.ReadAllBytes(CredentialsFile);
        var result = Rotate("300ms");
        Assert.Equal(1, result.ExitCode);
        var fresh = Server.AllCredentials[^1];
        Assert.Equal("pendingValidation", fresh.State);
        Assert.Equal(before, File.ReadAllBytes(CredentialsFile));
        NoSecrets(result, ConsumerKey, fresh.ConsumerKey);
        return fresh;
    }

    [Fact]
    public void A_timeout_keeps_the_new_key_encrypted_beside_the_file_and_says_how_to_continue()
    {
        var result = Rotate("300ms");
        Assert.Equal(1, result.ExitCode);
        var fresh = Server.AllCredentials[^1];
        Assert.Contains("not validated within 300 ms", result.Stderr, StringComparison.Ordinal);
        var hint = result.Stderr.Split('\n').Single(l => l.StartsWith("keyward: hint: ", StringComparison.Ordinal));
        Assert.Contains($"\"{Pending}\"", hint, StringComparison.Ordinal);
        Assert.Contains($"keyward ovh rotate {CredentialsFile}", hint, StringComparison.Ordinal);
        Assert.Contains("--discard-pending", hint, StringComparison.Ordinal);
        NoSecrets(result, ConsumerKey, fresh.ConsumerKey);

        Assert.True(File.Exists(Pending));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Pending));
        Assert.DoesNotContain(fresh.ConsumerKey, File.ReadAllText(Pending), StringComparison.Ordinal);
        Assert.Equal(ConsumerKey, StoredConsumerKey());
    }

    [Fact]
    public void The_next_rotate_continues_with_the_pending_key_once_it_is_validated()
    {
        var fresh = TimedOut();
        Server.Validate(fresh.Token);

        var result = Rotate("5s");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(1, KeysRequested);
        Assert.Equal(fresh.ConsumerKey, StoredConsumerKey());
        Assert.False(File.Exists(Pending));
        Assert.Contains($"DELETE {Server.BaseUrl}/me/api/credential/{OldId}\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("pending", result.Stderr, StringComparison.Ordinal);
        NoSecrets(result, ConsumerKey, fresh.ConsumerKey);
    }

    [Fact]
    public void A_key_still_pending_is_waited_for_again_not_requested_anew()
    {
        var fresh = TimedOut();

        var again = Rotate("300ms");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(1, KeysRequested);
        Assert.True(File.Exists(Pending));
        Assert.Contains("not validated yet", again.Stderr, StringComparison.Ordinal);
        Assert.Contains(fresh.Token, again.StdoutText, StringComparison.Ordinal);

        Server.ValidateOnCall = 2;
        var validatedWhileWaiting = Rotate("5s");
        Assert.True(validatedWhileWaiting.ExitCode == 0, validatedWhileWaiting.Stderr);
        Assert.Equal(1, KeysRequested);
        Assert.Equal(fresh.ConsumerKey, StoredConsumerKey());
        Assert.False(File.Exists(Pending));
    }

    [Fact]
    public void Discard_pending_requests_a_new_key_instead()
    {
        var first = TimedOut();
        // The first key answers "not valid" to the look rotate takes at it; the second is validated while rotate waits.
        Server.ValidateOnCall = 2;
        var result = Rotate("5s", "--discard-pending");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, KeysRequested);
        Assert.DoesNotContain($"/me/api/credential/{first.Id}\n", result.StdoutText, StringComparison.Ordinal);
        var second = Server.AllCredentials[^1];
        Assert.NotEqual(first.ConsumerKey, second.ConsumerKey);
        Assert.Equal(second.ConsumerKey, StoredConsumerKey());
        Assert.False(File.Exists(Pending));
        Assert.Contains("discarded the pending key", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Discarding_a_pending_key_that_was_validated_prints_its_revocation()
    {
        var first = TimedOut();
        Server.Validate(first.Token);
        Server.ValidateOnCall = 1;
        var result = Rotate("5s", "--discard-pending");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"DELETE {Server.BaseUrl}/me/api/credential/{first.Id}\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains($"DELETE {Server.BaseUrl}/me/api/credential/{OldId}\n", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_key_meant_for_a_key_the_file_no_longer_holds_is_not_used()
    {
        TimedOut();
        const string replacedByHand = "ConsumerKeyWrittenSinceByHand001";
        Server.AddCredential(AppKey, replacedByHand, KarpenterRules);
        var rewritten = CliRunner.Run(["ovh", "secret", "--namespace", "karpenter", "-o", CredentialsFile, "--force", "--age", Identity.Recipient.ToString()!,
            "--endpoint", Server.BaseUrl, "--application-key", AppKey],
            environment: name => name switch { "OVH_APPLICATION_SECRET" => AppSecret, "OVH_CONSUMER_KEY" => replacedByHand, _ => null });
        Assert.True(rewritten.ExitCode == 0, rewritten.Stderr);

        var result = Rotate("5s");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("was requested to replace another key", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--discard-pending", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(replacedByHand, StoredConsumerKey());
        Assert.Equal(1, KeysRequested);
    }
}
