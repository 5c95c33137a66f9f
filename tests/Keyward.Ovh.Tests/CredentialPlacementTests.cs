using System.Text;
using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;
using Keyward.Sops.Crypto;
using Keyward.Sops.Metadata;

namespace Keyward.Ovh.Tests;

/// <summary>
/// The credential goes where the file's SOPS rule encrypts it, or nowhere: a rule that selects only <c>data</c> (or
/// a suffix the Secret's keys lack) would otherwise leave the application secret and consumer key in clear.
/// </summary>
public sealed class CredentialPlacementTests : IDisposable
{
    private const string AppSecret = "AppSecretValueNeverInClear000001";
    private const string ConsumerKey = "ConsumerKeyValueNeverInClear0001";

    private readonly X25519Identity identity = X25519Identity.Generate();

    public void Dispose() => identity.Dispose();

    private static OvhSecretMetadata Metadata => new("ovh-credentials", "karpenter", null, "ovh-eu",
        [new AccessRule("GET", "/cloud/project/p1/kube/k1")], new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 501);

    [Theory]
    [InlineData("encrypted_regex", "^(data|stringData)$", "stringData")]
    [InlineData("unencrypted_suffix", "_unencrypted", "stringData")]
    [InlineData("unencrypted_regex", "^(apiVersion|kind|metadata|type)$", "stringData")]
    [InlineData("encrypted_regex", "^data$", "data")]
    [InlineData("encrypted_regex", "^(data|stringData)$|^password$", "stringData")]
    public void The_values_go_where_the_rule_encrypts_them(string option, string value, string expected) =>
        Assert.Equal(expected, CredentialPlacement.Choose(new CryptRule(option, value), "rule", "hint"));

    [Theory]
    [InlineData("encrypted_suffix", "_secret")]
    [InlineData("encrypted_regex", "^(password|token)$")]
    [InlineData("encrypted_comment_regex", "sops:enc")]
    [InlineData("unencrypted_regex", "Key$")]
    public void A_rule_that_encrypts_neither_map_is_refused_naming_the_rule_and_the_field(string option, string value)
    {
        var error = Assert.Throws<KeywardException>(() => CredentialPlacement.Choose(new CryptRule(option, value), "the rule for \"x\"", CredentialPlacement.RuleHint));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains($"{option}: {value}", error.Message, StringComparison.Ordinal);
        Assert.Contains("stringData.", error.Message, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_data_the_values_are_base64_encrypted_and_read_back()
    {
        var rule = new CryptRule("encrypted_regex", "^data$");
        using var credentials = new OvhCredentials("AppKeyForTests01", AppSecret, ConsumerKey);
        var manifest = OvhSecretManifest.Build(Metadata, credentials, CredentialPlacement.Data);
        Assert.Contains($"  consumerKey: \"{Convert.ToBase64String(Encoding.UTF8.GetBytes(ConsumerKey))}\"", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("stringData", manifest, StringComparison.Ordinal);

        var target = new SopsTarget([[identity.Recipient.ToString()!]], rule, null);
        var encrypted = Encoding.UTF8.GetString(SopsSecretStore.Encrypt(manifest, "ovh.sops.yaml", target, TimeProvider.System));
        Assert.DoesNotContain(ConsumerKey, encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(ConsumerKey)), encrypted, StringComparison.Ordinal);

        var identities = new IdentitySet();
        identities.Add([identity], "test");
        var (plaintext, _) = SopsSecretStore.Decrypt(Encoding.UTF8.GetBytes(encrypted), "ovh.sops.yaml", identities);
        Assert.Equal(CredentialPlacement.Data, OvhSecretManifest.ValuesIn(plaintext, "ovh.sops.yaml"));
        var (_, read) = OvhSecretManifest.Read(plaintext, "ovh.sops.yaml");
        using (read)
        {
            Assert.Equal(ConsumerKey, read.RevealConsumerKey());
            Assert.Equal(AppSecret, read.RevealApplicationSecret());
        }
    }

    [Fact]
    public void The_fields_a_rule_leaves_in_clear_are_named()
    {
        Assert.Equal(["applicationKey", "applicationSecret", "consumerKey"], CredentialPlacement.ClearFields(new CryptRule("encrypted_regex", "^data$"), "stringData"));
        Assert.Equal(["applicationKey"], CredentialPlacement.ClearFields(new CryptRule("encrypted_regex", "^(applicationSecret|consumerKey)$"), "stringData"));
        Assert.Empty(CredentialPlacement.ClearFields(new CryptRule("encrypted_regex", "^data$"), "data"));
    }
}
