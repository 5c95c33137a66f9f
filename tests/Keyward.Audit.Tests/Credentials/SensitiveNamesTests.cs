using Keyward.Audit.Rules;

namespace Keyward.Audit.Tests.Credentials;

/// <summary>Which keys name a credential (ConfigMap keys, env names, Helm values): the words, their boundaries and the exceptions.</summary>
public sealed class SensitiveNamesTests
{
    [Theory]
    [InlineData("DB_PASSWORD")]
    [InlineData("passwd")]
    [InlineData("pwd")]
    [InlineData("db-pwd")]
    [InlineData("DB_PWD")]
    [InlineData("apiKey")]
    [InlineData("api.key")]
    [InlineData("API_KEY")]
    [InlineData("serviceToken")]
    [InlineData("client_secret")]
    [InlineData("OVH_CONSUMER_KEY")]
    [InlineData("ovh.application-key")]
    [InlineData("aws_access_key_id_and_secret")]
    [InlineData("PRIVATE_KEY")]
    [InlineData("bearer")]
    [InlineData("JWT")]
    [InlineData("gcpCredentials")]
    public void A_key_naming_a_credential_is_sensitive(string key) => Assert.True(SensitiveNames.IsSensitive(key), key);

    [Theory]
    [InlineData("LOG_LEVEL")]
    [InlineData("xpwd")] // "pwd" only at a word start or after "_"
    [InlineData("cwdPath")]
    [InlineData("keyboard")]
    [InlineData("api_version")]
    [InlineData("secretName")] // a reference to a Secret, not its value
    [InlineData("existingSecret")]
    [InlineData("token_file")]
    [InlineData("PASSWORD_PATH")]
    [InlineData("tokenTTL")]
    [InlineData("useSecret")]
    [InlineData("passwordPattern")] // Argo CD's rule for local users' passwords, a regex
    [InlineData("TOKEN_REGEX")]
    [InlineData("requestedIDTokenClaims")] // which OIDC claims to ask for
    [InlineData("")]
    [InlineData(null)]
    public void A_key_naming_a_setting_or_a_reference_is_not(string? key) => Assert.False(SensitiveNames.IsSensitive(key), key);

    [Theory]
    [InlineData("$slack-token")] // Argo CD: a key of its Secret, written as it usually is
    [InlineData("$email-password")]
    [InlineData("$oidc.okta.clientSecret")]
    [InlineData("$SLACK_TOKEN")]
    [InlineData("${DB_PASSWORD}")]
    public void A_reference_to_a_value_kept_elsewhere_is_a_placeholder(string value) => Assert.True(SensitiveNames.IsPlaceholder(value), value);

    [Theory]
    [InlineData("Sup3r-s3cret-pw")]
    [InlineData("9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData("$3cr3t-P4ss w0rd")]
    public void A_literal_is_not(string value) => Assert.False(SensitiveNames.IsPlaceholder(value), value);
}
