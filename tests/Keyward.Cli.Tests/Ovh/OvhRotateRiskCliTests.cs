using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// rotate grades the rules the new key would get; above the profile's level or --max-risk it asks for nothing, and the
/// file never pairs a profile's name with rules that are not that profile's.
/// </summary>
public sealed class OvhRotateRiskCliTests : OvhRotateFixture
{
    private static readonly (string, string)[] Widened = [("GET", "/*"), ("DELETE", "/*")];

    public OvhRotateRiskCliTests()
        : base("--offline", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1")
    {
    }

    private CliRunner.Result Rotate(params string[] extra)
    {
        Server.ValidateOnCall = 1;
        return CliRunner.Run(["ovh", "rotate", CredentialsFile, "-i", KeyFile, "--endpoint", Server.BaseUrl, "--poll-interval", "50ms", "--timeout", "30s", .. extra]);
    }

    private void WidenTheOldKey(params (string, string)[] rules)
    {
        var old = Server.Credential(ConsumerKey)!;
        old.Rules.Clear();
        old.Rules.AddRange(rules);
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

    private bool AnyKeyRequested => Server.Requests.Any(r => r.Method == "POST" && r.Path == "/1.0/auth/credential");

    [Fact]
    public void Rules_above_the_profiles_level_are_refused_before_any_key_is_requested()
    {
        WidenTheOldKey(Widened);
        var before = File.ReadAllBytes(CredentialsFile);
        var result = Rotate();
        Assert.Equal(1, result.ExitCode);
        Assert.False(AnyKeyRequested);
        Assert.Equal(before, File.ReadAllBytes(CredentialsFile));
        Assert.Contains("keyward: error: the old key's rules grade critical, above karpenter-mks", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("critical", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("GET /*", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("--profile-rules", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward ovh inspect", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_above_max_risk_are_refused()
    {
        WidenTheOldKey([("GET", "/cloud/project/p1/kube/*")]);
        var result = Rotate("--max-risk", "minimal");
        Assert.Equal(1, result.ExitCode);
        Assert.False(AnyKeyRequested);
        Assert.Contains("above --max-risk minimal", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_max_risk_is_refused_before_the_api_is_called()
    {
        var result = Rotate("--max-risk", "low");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public void Max_risk_lets_the_old_rules_through_and_the_file_then_names_no_profile()
    {
        WidenTheOldKey(Widened);
        var result = Rotate("--max-risk", "critical");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Widened, Server.AllCredentials[^1].Rules);
        var metadata = Metadata();
        Assert.Null(metadata.Profile);
        Assert.Equal(["GET /*", "DELETE /*"], metadata.Rules.Select(r => r.ToString()));
        Assert.Contains("karpenter-mks", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_rules_gives_the_new_key_the_profiles_rules()
    {
        WidenTheOldKey(Widened);
        var result = Rotate("--profile-rules");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(KarpenterRules, Server.AllCredentials[^1].Rules);
        Assert.Equal("karpenter-mks", Metadata().Profile);
    }

    [Fact]
    public void Narrower_rules_that_are_not_the_profiles_are_rotated_but_not_recorded_under_its_name()
    {
        WidenTheOldKey(KarpenterRules[..3]);
        var result = Rotate();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(KarpenterRules[..3], Server.AllCredentials[^1].Rules);
        Assert.Null(Metadata().Profile);
    }

    [Fact]
    public void The_profiles_own_rules_keep_its_name()
    {
        var result = Rotate();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("karpenter-mks", Metadata().Profile);
    }

    [Fact]
    public void Secret_does_not_record_a_profile_whose_rules_the_credential_does_not_have()
    {
        WidenTheOldKey(Widened);
        var output = Dir.File("online.sops.yaml");
        var written = CliRunner.Run(["ovh", "secret", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1", "--namespace", "karpenter",
            "-o", output, "--age", Identity.Recipient.ToString()!, "--endpoint", Server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(written.ExitCode == 0, written.Stderr);
        var identities = new IdentitySet();
        identities.Add([Identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(File.ReadAllBytes(output), output, identities);
        var (metadata, credentials) = OvhSecretManifest.Read(plaintext, output);
        credentials.Dispose();
        Assert.Null(metadata.Profile);
    }
}
