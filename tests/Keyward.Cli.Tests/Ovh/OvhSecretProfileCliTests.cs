using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// secret without --profile: a credential whose rules are exactly a built-in profile's is recorded under that
/// profile; any other says, in a warning, that the file names no profile and what that costs.
/// </summary>
public sealed class OvhSecretProfileCliTests : IDisposable
{
    private const string OtherKey = "OtherConsumerKeyNeverPrinted0001";
    private readonly OvhContractServer server = new();
    private readonly TempDir dir = new();
    private readonly X25519Identity identity = X25519Identity.Generate();

    public OvhSecretProfileCliTests()
    {
        server.AddApplication(AppKey, AppSecret);
        server.AddCredential(AppKey, ConsumerKey, KarpenterRules);
    }

    public void Dispose()
    {
        server.Dispose();
        dir.Dispose();
        identity.Dispose();
    }

    private (CliRunner.Result Result, OvhSecretMetadata Metadata) Secret(string consumerKey)
    {
        var output = dir.File("ovh.sops.yaml");
        var result = CliRunner.Run(["ovh", "secret", "--namespace", "karpenter", "-o", output, "--age", identity.Recipient.ToString()!,
            "--endpoint", server.BaseUrl, "--application-key", AppKey],
            environment: name => name switch { "OVH_APPLICATION_SECRET" => AppSecret, "OVH_CONSUMER_KEY" => consumerKey, _ => null });
        Assert.True(result.ExitCode == 0, result.Stderr);
        var identities = new IdentitySet();
        identities.Add([identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(output), output, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, output);
        credentials.Dispose();
        return (result, metadata);
    }

    [Fact]
    public void A_credential_with_exactly_a_profiles_rules_is_recorded_under_that_profile()
    {
        var (result, metadata) = Secret(ConsumerKey);
        Assert.Equal("karpenter-mks", metadata.Profile);
        Assert.Contains("keyward: note: the credential's rules are exactly karpenter-mks's", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_credential_is_written_without_a_profile_and_a_warning_says_so()
    {
        server.AddCredential(AppKey, OtherKey, KarpenterRules[..3]);
        var (result, metadata) = Secret(OtherKey);
        Assert.Null(metadata.Profile);
        Assert.Contains("keyward: warning: the credential's rules are not a built-in profile's", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward.io/ovh-profile", result.Stderr, StringComparison.Ordinal);
    }
}
