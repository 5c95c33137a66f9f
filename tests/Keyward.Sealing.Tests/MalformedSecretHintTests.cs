using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

/// <summary>
/// Every refusal of a Secret whose shape is wrong says where, and what to write instead: "stringData must be a map"
/// once reached the user as a bare error line, with no hint.
/// </summary>
public sealed class MalformedSecretHintTests
{
    private const string Head = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\n";

    [Theory]
    [InlineData("stringData:\n  password\n", "line 7 column 3: Secret db: stringData must be a map of keys to strings", "write stringData as KEY: VALUE lines")]
    [InlineData("data:\n  password\n", "line 7 column 3: Secret db: data must be a map of keys to base64 values", "write data as KEY: BASE64 lines")]
    [InlineData("stringData:\n  - password\n", "stringData must be a map of keys to strings", "write stringData as KEY: VALUE lines")]
    [InlineData("stringData:\n  \"\": x\n", "stringData has an empty or non-text key", "letters, digits")]
    [InlineData("stringData:\n  password:\n    nested: x\n", "stringData key \"password\" must have a text value", "quote")]
    [InlineData("data:\n  password: [a]\n", "data key \"password\" must have a text value", "quote")]
    [InlineData("stringData:\n  a/b: x\n", "stringData key \"a/b\" is not a valid Secret key", "rename")]
    [InlineData("data:\n  password: \"%%%\"\n", "data key \"password\" is not valid base64", "stringData")]
    [InlineData("immutable: maybe\nstringData:\n  a: b\n", "Secret field immutable must be true or false", "true or false")]
    public void A_misshapen_secret_is_refused_with_its_position_and_a_hint(string body, string message, string hintWords)
    {
        var document = Assert.Single(ManifestLoader.Load(Head + body, "secret.yaml").Documents);
        var error = Assert.Throws<KeywardException>(() => SecretManifest.FromDocument(document));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("\"secret.yaml\" line ", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.False(string.IsNullOrEmpty(error.Hint), $"no hint for \"{error.Message}\"");
        Assert.Contains(hintWords, error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metadata:\n  name: db\n  labels: [a]\n", "metadata.labels must be a map of strings")]
    [InlineData("metadata:\n  name: db\n  annotations: x\n", "metadata.annotations must be a map of strings")]
    [InlineData("metadata:\n  name: db\n  labels:\n    app: [a]\n", "metadata.labels must be a map of strings")]
    public void Misshapen_labels_and_annotations_are_refused_with_a_hint(string metadata, string message)
    {
        var document = Assert.Single(ManifestLoader.Load("apiVersion: v1\nkind: Secret\n" + metadata + "stringData:\n  a: b\n", "secret.yaml").Documents);
        var error = Assert.Throws<KeywardException>(() => SecretManifest.FromDocument(document));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Hint), $"no hint for \"{error.Message}\"");
    }
}
