using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;
using Keyward.Ovh.Tests.Contract;
using Keyward.Sops.Crypto;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// ovh secret with a repository whose .sops.yaml rule does not select stringData: the credential is never written in
/// clear. It goes under data when the rule encrypts that (kubectl's Secrets), and is refused otherwise.
/// </summary>
public sealed class OvhSecretRuleCliTests : IDisposable
{
    private readonly OvhContractServer server = new();
    private readonly TempDir dir = new();
    private readonly X25519Identity identity = X25519Identity.Generate();

    public OvhSecretRuleCliTests()
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

    private static string? Env(string name) => name switch
    {
        "OVH_APPLICATION_SECRET" => AppSecret,
        "OVH_CONSUMER_KEY" => ConsumerKey,
        _ => null,
    };

    private string Output => dir.File("ovh-credentials.sops.yaml");

    private CliRunner.Result Secret(params string[] extra) =>
        CliRunner.Run(["ovh", "secret", "--namespace", "karpenter", "-o", Output, "--endpoint", server.BaseUrl, "--application-key", AppKey, .. extra], environment: Env);

    private void SopsConfig(string rule) =>
        File.WriteAllText(dir.File(".sops.yaml"), $"creation_rules:\n  - path_regex: \\.sops\\.yaml$\n    {rule}\n    age: {identity.Recipient}\n");

    [Fact]
    public void A_rule_that_encrypts_only_data_gets_the_values_under_data_encrypted()
    {
        SopsConfig("encrypted_regex: ^data$");
        var result = Secret();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("the values are under data (base64)", result.Stderr, StringComparison.Ordinal);

        var text = File.ReadAllText(Output);
        Assert.DoesNotContain(AppSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsumerKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AppKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("stringData", text, StringComparison.Ordinal);
        Assert.Contains("keyward.io/ovh-rules", text, StringComparison.Ordinal);

        var identities = new IdentitySet();
        identities.Add([identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(Encoding.UTF8.GetBytes(text), Output, identities);
        var (_, credentials) = OvhSecretManifest.Read(plaintext, Output);
        using (credentials)
            Assert.Equal(ConsumerKey, credentials.RevealConsumerKey());

        var audit = CliRunner.Run(["audit", Output]);
        Assert.DoesNotContain("KW203", audit.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("encrypted_suffix: _secret")]
    [InlineData("encrypted_regex: ^(password|token)$")]
    public void A_rule_that_encrypts_neither_is_refused_before_anything_is_asked_or_written(string rule)
    {
        SopsConfig(rule);
        var result = Secret();
        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(Output));
        Assert.Empty(server.Requests);
        Assert.Contains(rule, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("stringData.applicationSecret", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_credentials_file_is_replaced_only_with_force()
    {
        SopsConfig("encrypted_regex: ^(data|stringData)$");
        File.WriteAllText(Output, "another cluster's credential\n");
        var refused = Secret();
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("another cluster's credential\n", File.ReadAllText(Output));
        Assert.Empty(server.Requests);

        var forced = Secret("--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Contains("sops:", File.ReadAllText(Output), StringComparison.Ordinal);
    }
}
