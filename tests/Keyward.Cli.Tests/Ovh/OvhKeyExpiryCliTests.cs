using System.Globalization;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// A key validated with the validation page's default validity (one day) stops working tomorrow: request, inspect,
/// secret and rotate say so, and the file records the expiry and a rotate-by date before it.
/// </summary>
public sealed class OvhKeyExpiryCliTests : OvhRotateFixture
{
    private static readonly DateTimeOffset Tomorrow = DateTimeOffset.UtcNow.AddDays(1);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private (OvhSecretMetadata Metadata, string Text) Stored()
    {
        var identities = new IdentitySet();
        identities.Add([Identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(CredentialsFile), CredentialsFile, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, CredentialsFile);
        credentials.Dispose();
        return (metadata, File.ReadAllText(CredentialsFile));
    }

    private static void WarnsOfExpiry(CliRunner.Result result)
    {
        var warning = result.Stderr.Split('\n').Single(l => l.StartsWith("keyward: warning: the key expires on ", StringComparison.Ordinal));
        Assert.Contains(Day(Tomorrow), warning, StringComparison.Ordinal);
        Assert.Contains("Unlimited", warning, StringComparison.Ordinal);
        Assert.Contains("guide", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_says_to_choose_unlimited_and_warns_when_the_key_expires()
    {
        Server.ValidateOnCall = 2;
        Server.ValidatedExpiration = Tomorrow;
        var result = CliRunner.Run(["ovh", "request", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1", "-o", Dir.File("ck"),
            "--poll-interval", "50ms", "--timeout", "30s", "--endpoint", Server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("set the validity to Unlimited", result.Stderr, StringComparison.Ordinal);
        WarnsOfExpiry(result);
    }

    [Fact]
    public void Inspect_warns_when_the_key_expires()
    {
        Server.Credential(ConsumerKey)!.Expiration = Tomorrow;
        var result = CliRunner.Run(["ovh", "inspect", "--endpoint", Server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        WarnsOfExpiry(result);
    }

    [Fact]
    public void Secret_records_the_expiry_and_a_rotate_by_date_before_it()
    {
        Server.Credential(ConsumerKey)!.Expiration = Tomorrow;
        var result = CliRunner.Run(["ovh", "secret", "--namespace", "karpenter", "-o", CredentialsFile, "--force", "--age", Identity.Recipient.ToString()!,
            "--endpoint", Server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        WarnsOfExpiry(result);
        var (metadata, text) = Stored();
        Assert.Equal(Tomorrow.ToUnixTimeSeconds(), metadata.ExpiresAt!.Value.ToUnixTimeSeconds());
        Assert.True(metadata.RotateBy < Tomorrow, $"rotate-by {metadata.RotateBy:O}");
        Assert.Contains("keyward.io/expires", text, StringComparison.Ordinal);
        Assert.Contains("KW902", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_warns_and_records_the_new_keys_expiry()
    {
        Server.ValidateOnCall = 2;
        Server.ValidatedExpiration = Tomorrow;
        var result = CliRunner.Run(["ovh", "rotate", CredentialsFile, "-i", KeyFile, "--poll-interval", "50ms", "--timeout", "30s"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("set the validity to Unlimited", result.Stderr, StringComparison.Ordinal);
        WarnsOfExpiry(result);
        var (metadata, _) = Stored();
        Assert.Equal(Tomorrow.ToUnixTimeSeconds(), metadata.ExpiresAt!.Value.ToUnixTimeSeconds());
        Assert.True(metadata.RotateBy < Tomorrow);
    }

    [Fact]
    public void An_unlimited_key_gets_no_warning_and_no_expiry()
    {
        var result = CliRunner.Run(["ovh", "inspect", "--endpoint", Server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.DoesNotContain("expires on", result.Stderr, StringComparison.Ordinal);
        Assert.Null(Stored().Metadata.ExpiresAt);
    }
}
