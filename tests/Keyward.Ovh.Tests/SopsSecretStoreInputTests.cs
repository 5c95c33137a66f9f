using System.Text;
using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Ovh.Storage;
using Keyward.Sops.Crypto;

namespace Keyward.Ovh.Tests;

/// <summary>Files rotate is given that are not the SOPS file it needs, each refused for what it is.</summary>
public sealed class SopsSecretStoreInputTests : IDisposable
{
    private readonly X25519Identity identity = X25519Identity.Generate();

    public void Dispose() => identity.Dispose();

    private IdentitySet Identities()
    {
        var identities = new IdentitySet();
        identities.Add([identity], "test");
        return identities;
    }

    [Fact]
    public void A_sealed_secret_is_named_as_such_not_called_plaintext()
    {
        const string sealedSecret = """
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:
              name: ovh-credentials
              namespace: karpenter
              annotations:
                keyward.io/ovh-profile: "karpenter-mks"
            spec:
              encryptedData:
                consumerKey: AgBy3i4OJSWK+PiTySYZZA==
            """;
        var error = Assert.Throws<KeywardException>(() => SopsSecretStore.Decrypt(Encoding.UTF8.GetBytes(sealedSecret), "ovh.sealed.yaml", Identities()));
        Assert.Contains("\"ovh.sealed.yaml\" is a SealedSecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("plaintext Secret", error.Hint, StringComparison.Ordinal);
        Assert.Contains("keyward seal", error.Hint, StringComparison.Ordinal);
        Assert.Contains("keyward ovh request", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plaintext_secret_is_still_refused_as_plaintext()
    {
        const string secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {consumerKey: CK}\n";
        var error = Assert.Throws<KeywardException>(() => SopsSecretStore.Decrypt(Encoding.UTF8.GetBytes(secret), "s.yaml", Identities()));
        Assert.Contains("is not SOPS-encrypted", error.Message, StringComparison.Ordinal);
    }
}
