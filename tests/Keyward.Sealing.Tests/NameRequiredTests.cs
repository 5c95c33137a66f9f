using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

/// <summary>A SealedSecret, in every scope, needs a name: the controller names the Secret after it.</summary>
public sealed class NameRequiredTests
{
    private static SecretManifest Read(string yaml) =>
        SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "s.yaml").Documents));

    [Theory]
    [InlineData(SealingScope.ClusterWide)]
    [InlineData(SealingScope.NamespaceWide)]
    [InlineData(SealingScope.Strict)]
    public void A_secret_without_a_name_is_refused_in_every_scope(SealingScope scope)
    {
        using var secret = Read("apiVersion: v1\nkind: Secret\nmetadata: {namespace: prod}\nstringData: {a: b}\n");
        var error = Assert.Throws<KeywardException>(() => new Sealer(TestKeys.Certificate(), new SealOptions { Scope = scope }).Seal(secret));
        Assert.Contains("\"s.yaml\" line 1 column 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("no name", error.Message, StringComparison.Ordinal);
        Assert.Contains("--name", error.Hint, StringComparison.Ordinal);
        Assert.Contains("metadata.name", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("--scope", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_name_is_no_name()
    {
        using var secret = Read("apiVersion: v1\nkind: Secret\nmetadata: {name: null}\nstringData: {a: b}\n");
        var error = Assert.Throws<KeywardException>(() => new Sealer(TestKeys.Certificate(), new SealOptions { Scope = SealingScope.ClusterWide }).Seal(secret));
        Assert.Contains("no name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_name_option_fills_it()
    {
        using var secret = Read("apiVersion: v1\nkind: Secret\nmetadata: {}\nstringData: {a: b}\n");
        var sealedSecret = new Sealer(TestKeys.Certificate(), new SealOptions { Scope = SealingScope.ClusterWide, Name = "db" }).Seal(secret);
        Assert.Equal("db", (string?)sealedSecret["metadata"]!["name"]);
    }

    [Fact]
    public void Raw_needs_no_name_outside_strict_scope_and_its_hint_speaks_of_options()
    {
        var sealer = new Sealer(TestKeys.Certificate());
        Assert.NotEmpty(sealer.SealRaw("x"u8, SealingScope.NamespaceWide, "prod", null));
        var error = Assert.Throws<KeywardException>(() => sealer.SealRaw("x"u8, SealingScope.Strict, "prod", null));
        Assert.Contains("--name", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata", error.Hint, StringComparison.Ordinal);
    }
}
