using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// What rotate takes from the file it is given: the region its key belongs to (which --endpoint may not contradict
/// and $OVH_ENDPOINT does not override), and its kind (a SealedSecret is named, not called plaintext).
/// </summary>
public sealed class OvhRotateInputCliTests : OvhRotateFixture
{
    public OvhRotateInputCliTests()
        : base("--profile", "karpenter-mks")
    {
        Server.Requests.Clear();
    }

    private CliRunner.Result Rotate(Func<string, string?>? environment, params string[] extra)
    {
        Server.ValidateOnCall = 1;
        return CliRunner.Run(["ovh", "rotate", CredentialsFile, "-i", KeyFile, "--poll-interval", "50ms", "--timeout", "30s", .. extra], environment: environment);
    }

    private OvhSecretMetadata Metadata()
    {
        var identities = new IdentitySet();
        identities.Add([Identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(CredentialsFile), CredentialsFile, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, CredentialsFile);
        credentials.Dispose();
        return metadata;
    }

    [Fact]
    public void Rotate_talks_to_the_endpoint_the_file_records()
    {
        var result = Rotate(environment: null);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(Server.Requests, r => r.Path == "/1.0/auth/credential");
        Assert.Equal(Server.BaseUrl, Metadata().Endpoint);
    }

    [Fact]
    public void An_endpoint_option_that_contradicts_the_file_is_refused_before_any_call()
    {
        var result = Rotate(environment: null, "--endpoint", "ovh-ca");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Server.Requests);
        Assert.Contains("keyward: error: --endpoint ovh-ca", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Server.BaseUrl, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: drop --endpoint", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_endpoint_given_again_is_fine()
    {
        var result = Rotate(environment: null, "--endpoint", Server.BaseUrl + "/");
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    [Fact]
    public void An_environment_endpoint_for_another_region_is_overruled_with_a_note()
    {
        var result = Rotate(name => name == "OVH_ENDPOINT" ? "ovh-eu" : null);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("keyward: note: $OVH_ENDPOINT (ovh-eu)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(Server.BaseUrl, Metadata().Endpoint);
    }

    [Fact]
    public void A_sealed_secret_is_recognised_and_the_hint_says_how_to_rotate_it()
    {
        var sealedFile = Dir.File("ovh.sealed.yaml");
        File.WriteAllText(sealedFile, """
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:
              name: ovh-credentials
              namespace: karpenter
              annotations:
                keyward.io/ovh-profile: "karpenter-mks"
            spec:
              encryptedData:
                consumerKey: AgBy3i4OJSWK+PiTySYZZA==
            """);
        var result = CliRunner.Run(["ovh", "rotate", sealedFile, "-i", KeyFile]);
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Server.Requests);
        Assert.Contains("is a SealedSecret", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("plaintext Secret", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward seal", result.Stderr, StringComparison.Ordinal);
    }
}
