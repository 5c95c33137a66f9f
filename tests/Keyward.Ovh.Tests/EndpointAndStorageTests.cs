using Keyward.Core;
using Keyward.Manifests;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;

namespace Keyward.Ovh.Tests;

public sealed class EndpointAndStorageTests
{
    [Theory]
    [InlineData("ovh-eu", "https://eu.api.ovh.com/1.0/auth/time")]
    [InlineData("ovh-ca", "https://ca.api.ovh.com/1.0/auth/time")]
    [InlineData("ovh-us", "https://api.us.ovhcloud.com/1.0/auth/time")]
    [InlineData(null, "https://eu.api.ovh.com/1.0/auth/time")]
    [InlineData("http://127.0.0.1:8080/1.0/", "http://127.0.0.1:8080/1.0/auth/time")]
    [InlineData("http://[::1]:8080/1.0", "http://[::1]:8080/1.0/auth/time")]
    public void Endpoints_resolve_like_the_sdks(string? name, string expected) => Assert.Equal(expected, OvhEndpoint.Parse(name).UrlOf("/auth/time"));

    [Fact]
    public void Versioned_paths_go_to_the_host_root() =>
        Assert.Equal("https://eu.api.ovh.com/v2/iam/policy", OvhEndpoint.Parse("ovh-eu").UrlOf("/v2/iam/policy"));

    [Theory]
    [InlineData("http://api.example.com/1.0", "refusing plain http")]
    [InlineData("ovh-mars", "unknown endpoint")]
    [InlineData("https://eu.api.ovh.com/1.0?x=1", "query or fragment")]
    public void Unsafe_or_unknown_endpoints_are_refused(string value, string expected)
    {
        var error = Assert.Throws<KeywardException>(() => OvhEndpoint.Parse(value));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_never_show_their_secrets()
    {
        using var credentials = new OvhCredentials("appKey123", "superSecretApplicationValue00001", "consumerKeyValue0000000000000001");
        var text = credentials.ToString();
        Assert.DoesNotContain("superSecret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("consumerKeyValue0000000000000001", text, StringComparison.Ordinal);
        credentials.Dispose();
        Assert.Throws<ObjectDisposedException>(() => credentials.RevealConsumerKey());
    }

    [Fact]
    public void The_secret_manifest_carries_the_keys_karpenter_reads_and_the_annotations()
    {
        var rules = AccessRuleParser.FromArguments(["GET /cloud/project/p/kube/k", "PUT /cloud/project/p/kube/k/nodepool/*"]);
        var created = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var metadata = new OvhSecretMetadata("ovh-credentials", "karpenter", "karpenter-mks", "ovh-eu", rules, created, 4242);
        using var credentials = new OvhCredentials("AK12345", "AS: with \"quotes\" and #hash", "CK67890");
        var yaml = OvhSecretManifest.Build(metadata, credentials);

        var document = ManifestLoader.Load(yaml, "secret.yaml").Documents.Single();
        Assert.Equal(new ObjectReference("v1", "Secret", "karpenter", "ovh-credentials"), document.Reference);
        var annotations = document.Root.Child("metadata")!.Child("annotations")!;
        Assert.Equal("karpenter-mks", annotations.Scalar("keyward.io/ovh-profile"));
        Assert.Equal(RuleFingerprint.Compute(rules), annotations.Scalar("keyward.io/ovh-rules-fingerprint"));
        Assert.Equal("2026-11-22T12:00:00Z", annotations.Scalar("keyward.io/created-at"));
        Assert.Equal("2027-02-20T12:00:00Z", annotations.Scalar("keyward.io/rotate-by"));
        Assert.Equal("AS: with \"quotes\" and #hash", document.Root.Child("stringData")!.Scalar("applicationSecret"));

        var (read, back) = OvhSecretManifest.Read(yaml, "secret.yaml");
        using (back)
        {
            Assert.Equal("CK67890", back.RevealConsumerKey());
            Assert.Equal(rules.Select(r => r.ToString()), read.Rules.Select(r => r.ToString()));
            Assert.Equal(4242, read.CredentialId);
            Assert.Equal(created, read.CreatedAt);
        }
    }

    [Fact]
    public void Data_fields_in_base64_are_read_too()
    {
        const string yaml = """
            apiVersion: v1
            kind: Secret
            metadata: {name: ovh-credentials, namespace: karpenter}
            data:
              applicationKey: QUs=
              applicationSecret: QVM=
              consumerKey: Q0s=
            """;
        var (_, credentials) = OvhSecretManifest.Read(yaml, "s.yaml");
        using (credentials)
            Assert.Equal("CK", credentials.RevealConsumerKey());
    }

    [Fact]
    public void Hand_edited_rules_are_caught_by_the_fingerprint()
    {
        var rules = AccessRuleParser.FromArguments(["GET /cloud/project/p/kube/k"]);
        using var credentials = new OvhCredentials("AK", "AS", "CK");
        var yaml = OvhSecretManifest.Build(new OvhSecretMetadata("n", "ns", null, "ovh-eu", rules, DateTimeOffset.UnixEpoch, null), credentials)
            .Replace("GET /cloud/project/p/kube/k\"", "GET /cloud/*\"", StringComparison.Ordinal);
        var error = Assert.Throws<KeywardException>(() => OvhSecretManifest.Read(yaml, "s.yaml"));
        Assert.Contains("does not match its fingerprint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ovh_Credentials")]
    [InlineData("-x")]
    public void Bad_kubernetes_names_are_refused(string name)
    {
        using var credentials = new OvhCredentials("AK", "AS", "CK");
        Assert.Throws<KeywardException>(() => OvhSecretManifest.Build(new OvhSecretMetadata(name, "ns", null, "ovh-eu", [], DateTimeOffset.UnixEpoch, null), credentials));
    }
}
