using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// One keys.txt serves sops and keyward. A post-quantum key in it (sops reads those) must not stop keyward from opening
/// the files for its X25519 keys; a file only the post-quantum key opens gets that reason, with a hint.
/// </summary>
public sealed class SopsUnusableKeysTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(params string[] parts) => SharedMaterial.Path(["conformance", "sops", "fixtures", .. parts]);

    private CliRunner.Result Decrypt(string keyFile, string file) =>
        CliRunner.Run(["decrypt", file], environment: name => name switch
        {
            "SOPS_AGE_KEY_FILE" => keyFile,
            "HOME" => _dir.Path,
            _ => null,
        });

    [Fact]
    public void A_key_file_with_a_post_quantum_key_still_opens_files_for_its_x25519_key()
    {
        var keys = _dir.File("keys.txt");
        File.WriteAllText(keys, File.ReadAllText(Fixture("keys", "flux-age-pq.txt")) + "\n" + File.ReadAllText(Fixture("keys", "flux-age.txt")));
        var dec = Decrypt(keys, Fixture("flux-kustomize-controller", "algorithms", "age.yaml"));
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Contains("kind: Secret", dec.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_only_a_post_quantum_key_opens_says_why_with_a_hint()
    {
        var dec = Decrypt(Fixture("keys", "flux-age-pq.txt"), Fixture("flux-kustomize-controller", "algorithms", "age-pq.yaml"));
        Assert.Equal(1, dec.ExitCode);
        Assert.Contains("post-quantum (mlkem768x25519) identities are not supported yet", dec.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", dec.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_top_level_json_value_is_refused_with_a_hint()
    {
        var path = _dir.File("s.json");
        File.WriteAllText(path, "\"just a string\"");
        var enc = CliRunner.Run(["encrypt", "--age", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", path]);
        Assert.Equal(2, enc.ExitCode);
        Assert.Contains("keyward: hint: ", enc.Stderr, StringComparison.Ordinal);
    }
}
