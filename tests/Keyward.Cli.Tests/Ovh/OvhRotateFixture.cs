using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Tests.Contract;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// Where every rotate test starts: the contract server knows the application and the Karpenter credential, an age
/// key is on disk, and <c>ovh secret</c> (with the options a test gives) wrote the credentials file it encrypts to.
/// </summary>
public abstract class OvhRotateFixture : IDisposable
{
    protected OvhContractServer Server { get; } = new();

    protected TempDir Dir { get; } = new();

    protected X25519Identity Identity { get; } = X25519Identity.Generate();

    /// <summary>The age identity file that decrypts <see cref="CredentialsFile"/>.</summary>
    protected string KeyFile { get; }

    /// <summary>The SOPS-encrypted credentials file <c>ovh secret</c> wrote.</summary>
    protected string CredentialsFile { get; }

    /// <summary>The id of the consumer key the file holds, on the contract server.</summary>
    protected long OldId { get; }

    protected OvhRotateFixture(params string[] secretOptions)
    {
        Server.AddApplication(AppKey, AppSecret);
        OldId = Server.AddCredential(AppKey, ConsumerKey, KarpenterRules).Id;
        KeyFile = Dir.File("age.key");
        File.WriteAllText(KeyFile, Identity.ExportSecretKey() + "\n");
        CredentialsFile = Dir.File("ovh.sops.yaml");
        var written = CliRunner.Run(["ovh", "secret", .. secretOptions, "--namespace", "karpenter", "-o", CredentialsFile, "--age", Identity.Recipient.ToString()!,
            "--endpoint", Server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(written.ExitCode == 0, written.Stderr);
    }

    /// <summary>The application secret and the old consumer key, as the SDKs' variables give them.</summary>
    protected static string? Env(string name) => name switch
    {
        "OVH_APPLICATION_SECRET" => AppSecret,
        "OVH_CONSUMER_KEY" => ConsumerKey,
        _ => null,
    };

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        Server.Dispose();
        Dir.Dispose();
        Identity.Dispose();
    }
}
