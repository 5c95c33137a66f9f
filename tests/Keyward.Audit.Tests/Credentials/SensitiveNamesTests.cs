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
    [InlineData("")]
    [InlineData(null)]
    public void A_key_naming_a_setting_or_a_reference_is_not(string? key) => Assert.False(SensitiveNames.IsSensitive(key), key);
}
