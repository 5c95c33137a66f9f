using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Sealing;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Core;

/// <summary>
/// An input of 2 GiB or more (a sparse file here, which costs no disk) given to a command that reads it whole: an
/// input error (exit 2) naming the file, in the audit's words, not .NET's "the file is too long" as an i/o failure.
/// </summary>
public sealed class TooLargeInputTests : IDisposable
{
    private readonly SealingFixture _f = new();
    private readonly X25519Identity _key = X25519Identity.Generate();
    private readonly string _big;

    public TooLargeInputTests()
    {
        _big = _f.File("big");
        using var sparse = File.Create(_big);
        sparse.SetLength(3L << 30);
    }

    public void Dispose()
    {
        _key.Dispose();
        _f.Dispose();
    }

    public static TheoryData<string> Commands() =>
        ["decrypt", "encrypt", "seal", "age keygen -y", "age decrypt -i", "decrypt --identity", "SOPS_AGE_KEY_FILE"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_input_is_refused_by_its_size_as_an_input_error(string command)
    {
        var keyFile = _f.File("key.txt");
        File.WriteAllText(keyFile, _key.ExportSecretKey() + "\n");
        var small = _f.File("small.yaml");
        File.WriteAllText(small, "a: b\n");
        var encrypted = CliRunner.Run(["encrypt", "-i", "--age", _key.Recipient.ToString(), small], environment: name => name == "HOME" ? _f.Dir.Path : null);
        Assert.True(encrypted.ExitCode == 0, encrypted.Stderr);
        string[] args = command switch
        {
            "decrypt" => ["decrypt", _big],
            "encrypt" => ["encrypt", "--age", _key.Recipient.ToString(), _big],
            "seal" => ["seal", "--cert", _f.CertPath, _big],
            "age keygen -y" => ["age", "keygen", "-y", _big],
            "age decrypt -i" => ["age", "decrypt", "-i", _big, small],
            "decrypt --identity" => ["decrypt", "--identity", _big, small],
            _ => ["decrypt", small],
        };
        var r = CliRunner.Run(args, environment: name => name switch
        {
            "HOME" => _f.Dir.Path,
            "SOPS_AGE_KEY" when command is "decrypt" => _key.ExportSecretKey(),
            "SOPS_AGE_KEY_FILE" when command is "SOPS_AGE_KEY_FILE" => _big,
            _ => null,
        });
        Assert.Equal(2, r.ExitCode);
        // seal reads manifests under a limit of its own (LargeInputTests); the others up to what an array holds.
        Assert.Contains(command == "seal"
            ? $"keyward: error: input file \"{_big}\" is too large to read: 3221225472 bytes"
            : $"keyward: error: cannot read \"{_big}\": 3221225472 bytes is too large to read\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("currently limited", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(r.Stdout);
    }
}
