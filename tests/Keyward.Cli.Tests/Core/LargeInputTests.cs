using Keyward.Cli.Tests.Sealing;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Core;

/// <summary>
/// An input far larger than any manifest, certificate, key or rules file is refused before it is read: unseal, seal
/// --cert and ovh check --file once read a 3 GiB file whole (4 GB of memory, then "internal error:
/// OutOfMemoryException", exit 70). The file is sparse: no disk, and refused unread, no memory.
/// </summary>
public sealed class LargeInputTests : IDisposable
{
    private readonly SealingFixture _f = new();
    private readonly string _big;

    public LargeInputTests()
    {
        _big = _f.File("big");
        using var file = File.Create(_big);
        file.SetLength(3L << 30);
    }

    public void Dispose() => _f.Dispose();

    public static TheoryData<string, string> Commands() => new()
    {
        { "unseal --key KEY BIG", "input file \"BIG\" is too large to read: 3221225472 bytes, more than the 64 MiB" },
        { "seal --verify --key KEY BIG", "input file \"BIG\" is too large to read" },
        { "seal --cert CERT BIG", "input file \"BIG\" is too large to read" },
        { "seal --cert BIG SECRET", "certificate file \"BIG\" is too large to read: 3221225472 bytes, more than the 1 MiB" },
        { "seal --cert CERT --merge-into BIG SECRET", "SealedSecret file \"BIG\" is too large to read" },
        { "unseal --key BIG SECRET", "key file \"BIG\" is too large to read: 3221225472 bytes, more than the 64 MiB" },
        { "ovh check --file BIG", "file \"BIG\" is too large to read: 3221225472 bytes, more than the 1 MiB" },
        { "seal --raw --namespace shop --name db --cert CERT --from-file BIG", "value file \"BIG\" is too large to read: 3221225472 bytes, more than the 1 MiB" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_huge_input_is_an_input_error_that_names_it(string command, string expected)
    {
        var args = command.Split(' ').Select(w => w switch
        {
            "KEY" => _f.KeyPath,
            "CERT" => _f.CertPath,
            "SECRET" => _f.SecretPath,
            "BIG" => _big,
            _ => w,
        }).ToArray();
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"keyward: error: {expected.Replace("BIG", _big, StringComparison.Ordinal)}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("\nkeyward: hint: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unseal --key KEY NUL")]
    [InlineData("seal --cert CERT NUL")]
    public void A_file_of_NUL_bytes_is_refused_as_binary_at_once(string command)
    {
        // 200 MB of NULs took 27 s to end in "no manifest found"; under the size limit they still took seconds.
        var nul = _f.File("nul");
        using (var file = File.Create(nul))
            file.SetLength(32L << 20);
        var args = command.Split(' ').Select(w => w switch { "KEY" => _f.KeyPath, "CERT" => _f.CertPath, "NUL" => nul, _ => w }).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"keyward: error: \"{nul}\": not a manifest: a NUL byte at line 1 column 1, so a binary file, not YAML or JSON", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("\nkeyward: hint: ", result.Stderr, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }
}
