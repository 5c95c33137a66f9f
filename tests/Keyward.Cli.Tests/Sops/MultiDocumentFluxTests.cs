using System.Text;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// Several YAML documents in one file share one MAC, as sops writes them; Flux decrypts each object alone and rejects
/// them all. Encrypting such a file says so; keyward itself still decrypts it.
/// </summary>
public sealed class MultiDocumentFluxTests : KeyedSopsTest
{
    private const string TwoSecrets = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  x: valueA123\n---\n"
        + "apiVersion: v1\nkind: Secret\nmetadata:\n  name: b\nstringData:\n  y: valueB123\n";

    [Fact]
    public void Encrypting_several_documents_warns_that_Flux_will_reject_the_file_and_keyward_still_decrypts_it()
    {
        var path = Dir.File("two.yaml");
        File.WriteAllText(path, TwoSecrets);
        var enc = Run("encrypt", "--age", Recipient, path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        Assert.Contains($"keyward: warning: \"{path}\" has 2 YAML documents, which share one MAC", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("decrypts each object separately and will reject this file", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: for Flux, put each Secret in its own file", enc.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("so Flux can read", enc.Stderr, StringComparison.Ordinal);

        var encrypted = Dir.File("two.sops.yaml");
        File.WriteAllBytes(encrypted, enc.Stdout);
        var dec = Run("decrypt", encrypted);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Equal(TwoSecrets, dec.StdoutText);
    }

    [Fact]
    public void One_document_gets_no_warning()
    {
        var path = Dir.File("one.yaml");
        File.WriteAllText(path, TwoSecrets.Split("---\n")[0]);
        var enc = Run("encrypt", "--age", Recipient, path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        Assert.DoesNotContain("warning", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("so Flux can read apiVersion, kind and metadata", enc.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Secret_ending_in_a_document_separator_is_one_Secret()
    {
        // kubeseal and some generators end a file with ---: an empty document, not a second object.
        var path = Dir.File("trailing.yaml");
        File.WriteAllText(path, TwoSecrets.Split("---\n")[0] + "---\n");
        var enc = Run("encrypt", "--age", Recipient, path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        Assert.DoesNotContain("warning", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("encrypting only data and stringData", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("kind: Secret", enc.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain("valueA123", enc.StdoutText, StringComparison.Ordinal);
    }

    [RequiresToolFact("kubectl")]
    public void A_trailing_separator_leaves_no_document_of_metadata_alone_that_kustomize_would_refuse()
    {
        // sops gives the empty document after the last --- its own copy of the metadata: a document without kind, which
        // kustomize (and so Flux) refuses. It holds no value, so leaving it out changes neither the MAC nor the content.
        var path = Dir.File("secret.yaml");
        File.WriteAllText(path, TwoSecrets.Split("---\n")[0] + "---\n");
        var enc = Run("encrypt", "--age", Recipient, "--in-place", path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        var encrypted = File.ReadAllText(path);
        Assert.Single(encrypted.Split('\n'), line => line == "sops:");
        Assert.DoesNotContain(encrypted.Split('\n'), line => line.StartsWith("---", StringComparison.Ordinal));

        File.WriteAllText(Dir.File("kustomization.yaml"), "resources:\n- secret.yaml\n");
        var build = ExternalTool.Run("kubectl", ["kustomize", Dir.Path]);
        Assert.True(build.ExitCode == 0, "kubectl kustomize failed: " + build.Stderr);
        Assert.Contains("kind: Secret", Encoding.UTF8.GetString(build.Stdout), StringComparison.Ordinal);

        var dec = Run("decrypt", path);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Equal(TwoSecrets.Split("---\n")[0], dec.StdoutText);
    }

    [Fact]
    public void Comments_in_a_trailing_empty_document_are_kept()
    {
        var path = Dir.File("commented.yaml");
        File.WriteAllText(path, TwoSecrets.Split("---\n")[0] + "---\n# rotated 2026-11\n");
        var enc = Run("encrypt", "--age", Recipient, "--in-place", path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        Assert.Single(File.ReadAllText(path).Split('\n'), line => line == "sops:");
        var dec = Run("decrypt", path);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Contains("# rotated 2026-11", dec.StdoutText, StringComparison.Ordinal);
        Assert.Contains("valueA123", dec.StdoutText, StringComparison.Ordinal);
    }
}
