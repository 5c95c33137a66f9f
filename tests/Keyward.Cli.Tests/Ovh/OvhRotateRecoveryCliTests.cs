using System.Text;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Api;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;
using Keyward.Sops.Metadata;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// rotate after something went wrong: a pending key answered as pendingValidation, a run stopped between writing FILE
/// and removing FILE.pending, a folder that cannot take the files, a file whose SOPS rule leaves the values in clear.
/// </summary>
public sealed class OvhRotateRecoveryCliTests : OvhRotateFixture
{
    private string Pending => CredentialsFile + ".pending";

    private int KeysRequested => Server.Requests.Count(r => r.Method == "POST" && r.Path == "/1.0/auth/credential");

    private CliRunner.Result Rotate(string file, string timeout, params string[] extra) =>
        CliRunner.Run(["ovh", "rotate", file, "-i", KeyFile, "--poll-interval", "50ms", "--timeout", timeout, .. extra]);

    private (string Plaintext, OvhSecretMetadata Metadata, string ConsumerKey) Stored(string file)
    {
        var identities = new IdentitySet();
        identities.Add([Identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(file), file, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, file);
        using (credentials)
            return (plaintext, metadata, credentials.RevealConsumerKey());
    }

    [Fact]
    public void A_pending_key_answered_as_pending_validation_is_kept_and_waited_for()
    {
        Server.PendingAnswersWithStatus = true;
        Assert.Equal(1, Rotate(CredentialsFile, "300ms").ExitCode);
        var fresh = Server.AllCredentials[^1];

        var again = Rotate(CredentialsFile, "300ms");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(1, KeysRequested);
        Assert.True(File.Exists(Pending));
        Assert.DoesNotContain("discarded", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("not validated yet", again.Stderr, StringComparison.Ordinal);
        Assert.Contains(fresh.Token, again.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pending_key_the_file_already_holds_completes_the_rotation_and_revokes_the_old_key(bool discard)
    {
        Assert.Equal(1, Rotate(CredentialsFile, "300ms").ExitCode);
        var fresh = Server.AllCredentials[^1];
        Server.Validate(fresh.Token);
        // The finishing run is stopped after writing FILE and before removing FILE.pending (killed, a power cut).
        var leftBehind = File.ReadAllBytes(Pending);
        var finished = Rotate(CredentialsFile, "5s");
        Assert.True(finished.ExitCode == 0, finished.Stderr);
        File.WriteAllBytes(Pending, leftBehind);

        var result = discard ? Rotate(CredentialsFile, "5s", "--discard-pending") : Rotate(CredentialsFile, "5s");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.False(File.Exists(Pending));
        Assert.Contains("the rotation was completed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal($"DELETE {Server.BaseUrl}/me/api/credential/{OldId}\n", result.StdoutText);
        Assert.DoesNotContain("nothing uses it", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, KeysRequested);
        Assert.Equal(fresh.ConsumerKey, Stored(CredentialsFile).ConsumerKey);
    }

    [Fact]
    public void A_folder_that_cannot_take_the_pending_key_is_found_before_a_key_is_requested()
    {
        // FILE's own temporary name fits in 255 characters; FILE.pending's does not.
        var file = Dir.File(new string('f', 222) + ".sops.yaml");
        File.Copy(CredentialsFile, file);
        var result = Rotate(file, "5s");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot write", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(".pending", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, KeysRequested);
    }

    /// <summary>A credentials file as an earlier keyward wrote it under a rule that encrypts only data: stringData in clear.</summary>
    private void WriteInClear(string option, string value)
    {
        var (_, metadata, _) = Stored(CredentialsFile);
        using var credentials = new OvhCredentials(AppKey, AppSecret, ConsumerKey);
        var target = new SopsTarget([[Identity.Recipient.ToString()!]], new CryptRule(option, value), null);
        File.WriteAllBytes(CredentialsFile, SopsSecretStore.Encrypt(OvhSecretManifest.Build(metadata, credentials), CredentialsFile, target, TimeProvider.System));
        Assert.Contains(ConsumerKey, File.ReadAllText(CredentialsFile), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_rule_encrypts_only_data_is_rewritten_with_the_values_under_data_and_the_clear_ones_are_named()
    {
        WriteInClear("encrypted_regex", "^data$");
        Server.ValidateOnCall = 2;
        var result = Rotate(CredentialsFile, "30s");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("stringData.applicationSecret, stringData.consumerKey in clear", result.Stderr, StringComparison.Ordinal);

        var fresh = Server.AllCredentials[^1];
        var text = File.ReadAllText(CredentialsFile);
        Assert.DoesNotContain(fresh.ConsumerKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^data$", text, StringComparison.Ordinal);
        var (plaintext, _, consumerKey) = Stored(CredentialsFile);
        Assert.Equal(fresh.ConsumerKey, consumerKey);
        Assert.Equal(CredentialPlacement.Data, OvhSecretManifest.ValuesIn(plaintext, CredentialsFile));
    }

    [Fact]
    public void A_file_whose_rule_encrypts_neither_map_is_refused_before_a_key_is_requested()
    {
        WriteInClear("encrypted_suffix", "_secret");
        var before = File.ReadAllBytes(CredentialsFile);
        var result = Rotate(CredentialsFile, "30s");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("encrypted_suffix: _secret", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, KeysRequested);
        Assert.Equal(before, File.ReadAllBytes(CredentialsFile));
        Assert.DoesNotContain(ConsumerKey, result.Stderr + result.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, Encoding.UTF8.GetString(result.Stdout) + result.Stderr, StringComparison.Ordinal);
    }
}
