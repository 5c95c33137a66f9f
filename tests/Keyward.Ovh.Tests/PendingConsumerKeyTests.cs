using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;
using Keyward.Sops.Crypto;
using Keyward.Sops.Metadata;

namespace Keyward.Ovh.Tests;

/// <summary>
/// The consumer key rotate requested and is waiting for: saved beside the Secret file, encrypted to the file's own
/// recipients, so that a timeout does not lose it.
/// </summary>
public sealed class PendingConsumerKeyTests : IDisposable
{
    private const string ConsumerKey = "PendingConsumerKeyNeverPrinted01";
    private readonly string dir = Path.Combine(Path.GetTempPath(), "keyward-pending-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly X25519Identity identity = X25519Identity.Generate();

    public PendingConsumerKeyTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        identity.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private SopsTarget Target => new([[identity.Recipient.ToString()!]], CryptRule.KubernetesSecret, null);

    private IdentitySet Identities()
    {
        var identities = new IdentitySet();
        identities.Add([identity], "test");
        return identities;
    }

    private static PendingConsumerKey Sample(string secretFile) => new(
        Path.GetFileName(secretFile), "ovh-ca", "AppKey01", ConsumerKey, new Uri("https://ca.api.ovh.com/auth/?credentialToken=tok3n"),
        AccessRuleParser.FromArguments(["GET /cloud/project/p1/kube/k1", "PUT /cloud/project/p1/kube/k1/nodepool/*"]), "karpenter-mks", 4242, "0ld-key-digest-never-in-clear",
        new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void It_is_saved_beside_the_file_encrypted_and_private_and_read_back_whole()
    {
        var secretFile = Path.Combine(dir, "ovh.sops.yaml");
        var pending = Sample(secretFile);
        pending.Save(secretFile, Target, TimeProvider.System);

        var path = PendingConsumerKey.PathFor(secretFile);
        Assert.Equal(secretFile + ".pending", path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.DoesNotContain(ConsumerKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok3n", text, StringComparison.Ordinal);
        Assert.Contains("ENC[AES256_GCM,", text, StringComparison.Ordinal);
        Assert.Contains("AppKey01", text, StringComparison.Ordinal);

        var back = PendingConsumerKey.Load(secretFile, Identities());
        Assert.NotNull(back);
        Assert.Equal(ConsumerKey, back.ConsumerKey);
        Assert.Equal(pending.ValidationUrl, back.ValidationUrl);
        Assert.Equal(pending.Rules, back.Rules);
        Assert.Equal("karpenter-mks", back.Profile);
        Assert.Equal(4242, back.ReplacesCredentialId);
        Assert.Equal("0ld-key-digest-never-in-clear", back.ReplacesKeyDigest);
        Assert.DoesNotContain("0ld-key-digest-never-in-clear", text, StringComparison.Ordinal);
        Assert.Equal(pending.RequestedAt, back.RequestedAt);
        Assert.Equal("ovh-ca", back.Endpoint);

        PendingConsumerKey.Discard(secretFile);
        Assert.False(File.Exists(path));
        Assert.Null(PendingConsumerKey.Load(secretFile, Identities()));
    }

    [Fact]
    public void It_knows_which_key_it_replaces_without_keeping_it()
    {
        using var old = new Keyward.Ovh.Api.OvhCredentials("AppKey01", "AppSecret", "OldConsumerKey01");
        using var other = new Keyward.Ovh.Api.OvhCredentials("AppKey01", "AppSecret", "OtherConsumerKey");
        var pending = Sample("ovh.sops.yaml") with { ReplacesKeyDigest = PendingConsumerKey.KeyDigest(old) };
        Assert.True(pending.Replaces(old));
        Assert.False(pending.Replaces(other));
        Assert.DoesNotContain("OldConsumerKey01", pending.ReplacesKeyDigest, StringComparison.Ordinal);
    }

    [Fact]
    public void It_never_shows_the_key()
    {
        var text = Sample("ovh.sops.yaml").ToString();
        Assert.DoesNotContain(ConsumerKey, text, StringComparison.Ordinal);
        Assert.Contains(SecretMask.Mask(ConsumerKey), text, StringComparison.Ordinal);
    }
}
