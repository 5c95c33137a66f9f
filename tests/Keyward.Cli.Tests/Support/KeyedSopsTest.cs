using Keyward.Age.Recipients;

namespace Keyward.Cli.Tests.Support;

/// <summary>
/// A folder and an age key for SOPS command tests: <see cref="Run"/> sees the key in SOPS_AGE_KEY and the folder as
/// HOME, so no key of the machine's user is ever read.
/// </summary>
public abstract class KeyedSopsTest : IDisposable
{
    protected TempDir Dir { get; } = new();

    protected X25519Identity Key { get; } = X25519Identity.Generate();

    protected string Recipient => Key.Recipient.ToString();

    protected CliRunner.Result Run(params string[] args) =>
        CliRunner.Run(args, environment: name => name switch
        {
            "SOPS_AGE_KEY" => Key.ExportSecretKey(),
            "HOME" => Dir.Path,
            _ => null,
        });

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        Key.Dispose();
        Dir.Dispose();
    }
}
