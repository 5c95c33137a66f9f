using System.Text.Json.Nodes;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

/// <summary>
/// YAML null under data and stringData: the API server decodes a JSON null map value to the empty value, so every
/// spelling of null seals "" (not the text "null", nor the base64 decoding of it).
/// </summary>
public sealed class NullValueTests
{
    private static SecretManifest Read(string yaml) =>
        SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "s.yaml").Documents));

    private static byte[] Value(SecretManifest secret, string key) => secret.Entries.Single(e => e.Key == key).Value;

    [Theory]
    [InlineData("data", "null")]
    [InlineData("data", "~")]
    [InlineData("data", "")]
    [InlineData("data", "Null")]
    [InlineData("data", "NULL")]
    [InlineData("stringData", "null")]
    [InlineData("stringData", "~")]
    [InlineData("stringData", "")]
    [InlineData("stringData", "Null")]
    [InlineData("stringData", "NULL")]
    public void Every_yaml_null_is_the_empty_value(string field, string spelling)
    {
        using var secret = Read($"apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: n}}\n{field}:\n  k: {spelling}\n");
        Assert.Empty(Value(secret, "k"));
    }

    [Fact]
    public void Json_null_is_the_empty_value_in_both_maps()
    {
        using var secret = Read("""{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"d": null}, "stringData": {"s": null}}""");
        Assert.Empty(Value(secret, "d"));
        Assert.Empty(Value(secret, "s"));
    }

    [Fact]
    public void Quoted_null_is_text_not_null()
    {
        using var secret = Read("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  a: \"null\"\n  b: '~'\n");
        Assert.Equal("null"u8.ToArray(), Value(secret, "a"));
        Assert.Equal("~"u8.ToArray(), Value(secret, "b"));
    }

    [Fact]
    public void A_null_value_is_sealed_and_unsealed_as_empty()
    {
        using var secret = Read("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\ndata: {d: null}\nstringData: {s: ~}\n");
        var sealedSecret = new Sealer(TestKeys.Certificate()).Seal(secret);
        var document = Assert.Single(ManifestLoader.Load(ManifestWriter.ToYaml([sealedSecret]), "sealed.yaml").Documents);
        var data = (JsonObject)new Unsealer(TestKeys.Ring()).Unseal(SealedSecretManifest.FromDocument(document))["data"]!;
        Assert.Equal("", (string?)data["d"]);
        Assert.Equal("", (string?)data["s"]);
    }

    [Fact]
    public void A_null_name_or_namespace_is_no_name_or_namespace()
    {
        using var secret = Read("apiVersion: v1\nkind: Secret\nmetadata: {name: null, namespace: ~}\nstringData: {a: b}\n");
        Assert.Null(secret.Name);
        Assert.Null(secret.Namespace);
    }
}
