using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;

namespace Keyward.Ovh.Tests;

/// <summary>
/// A key validated with a limited validity (the page's default is one day) is recorded with its expiry, and is due for
/// rotation before it stops working, not 90 days after its creation.
/// </summary>
public sealed class KeyExpiryTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OvhSecretMetadata Metadata(DateTimeOffset? expires) => new("ovh-credentials", "karpenter", null, "ovh-eu",
        [new AccessRule("GET", "/cloud/project/p1/kube/k1")], Created, 501, expires);

    [Fact]
    public void Without_an_expiry_the_key_is_due_in_90_days() =>
        Assert.Equal(Created.AddDays(90), Metadata(null).RotateBy);

    [Fact]
    public void A_long_validity_is_due_a_week_before_it_ends()
    {
        Assert.Equal(Created.AddDays(23), Metadata(Created.AddDays(30)).RotateBy);
        Assert.Equal(Created.AddDays(90), Metadata(Created.AddDays(365)).RotateBy);
    }

    [Fact]
    public void A_one_day_key_is_due_halfway_never_before_the_file_was_written()
    {
        Assert.Equal(Created.AddHours(12), Metadata(Created.AddDays(1)).RotateBy);
        Assert.Equal(Created.AddHours(-1), Metadata(Created.AddHours(-1)).RotateBy);
    }

    [Fact]
    public void The_expiry_is_written_and_read_back()
    {
        using var credentials = new OvhCredentials("AppKeyForTests01", "AppSecretValueNeverInClear000001", "ConsumerKeyValueNeverInClear0001");
        var manifest = OvhSecretManifest.Build(Metadata(Created.AddDays(1)), credentials);
        Assert.Contains("    keyward.io/expires: \"2026-01-02T00:00:00Z\"\n", manifest, StringComparison.Ordinal);
        Assert.Contains("    keyward.io/rotate-by: \"2026-01-01T12:00:00Z\"\n", manifest, StringComparison.Ordinal);
        var (metadata, read) = OvhSecretManifest.Read(manifest, "ovh.sops.yaml");
        read.Dispose();
        Assert.Equal(Created.AddDays(1), metadata.ExpiresAt);

        using var unlimited = new OvhCredentials("AppKeyForTests01", "AppSecretValueNeverInClear000001", "ConsumerKeyValueNeverInClear0001");
        Assert.DoesNotContain("keyward.io/expires", OvhSecretManifest.Build(Metadata(null), unlimited), StringComparison.Ordinal);
    }
}
