using System.Text;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>
/// seal --verify, unseal and --merge-into use the scope the controller does: the SealedSecret's own
/// metadata.annotations. A template that says otherwise is reported, since its annotations land on the Secret.
/// </summary>
public sealed class SealControllerScopeTests
{
    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData: {password: s3cr3t}\n";
    private const string OnMetadata = "  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: \"true\"\nspec:\n";
    private const string OnTemplate = "      annotations:\n        sealedsecrets.bitnami.com/cluster-wide: \"true\"\n";

    /// <summary>Seals <see cref="Secret"/> cluster-wide into FILE, then removes the scope annotation named by <paramref name="drop"/>.</summary>
    private static string SealClusterWide(SealingFixture f, string file, string drop)
    {
        File.WriteAllText(f.File("s.yaml"), Secret);
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "--scope", "cluster-wide", "-o", f.File(file), f.File("s.yaml")]).ExitCode);
        var text = File.ReadAllText(f.File(file));
        var changed = drop == "metadata" ? text.Replace(OnMetadata, "spec:\n", StringComparison.Ordinal) : text.Replace(OnTemplate, "", StringComparison.Ordinal);
        Assert.NotEqual(text, changed);
        File.WriteAllText(f.File(file), changed);
        return f.File(file);
    }

    [Fact]
    public void Verify_and_unseal_open_a_SealedSecret_scoped_on_its_metadata_only()
    {
        using var f = new SealingFixture();
        var path = SealClusterWide(f, "meta-only.yaml", drop: "template");
        var verify = CliRunner.Run(["seal", "--verify", "--key", f.KeyPath, path]);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("(cluster-wide scope)", verify.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", verify.Stderr, StringComparison.Ordinal);
        var unseal = CliRunner.Run(["unseal", "--key", f.KeyPath, path]);
        Assert.True(unseal.ExitCode == 0, unseal.Stderr);
        Assert.Contains("password: czNjcjN0", unseal.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_fails_a_SealedSecret_scoped_on_its_template_only_and_says_why()
    {
        using var f = new SealingFixture();
        var path = SealClusterWide(f, "tmpl-only.yaml", drop: "metadata");
        var verify = CliRunner.Run(["seal", "--verify", "--key", f.KeyPath, path]);
        Assert.Equal(1, verify.ExitCode);
        Assert.DoesNotContain("keyward: ok", verify.Stderr, StringComparison.Ordinal);
        var warning = Assert.Single(verify.Stderr.Split('\n'), l => l.StartsWith("keyward: warning: ", StringComparison.Ordinal));
        Assert.Contains("the controller opens it with strict scope", warning, StringComparison.Ordinal);
        Assert.Contains("spec.template", warning, StringComparison.Ordinal);
        Assert.Contains("cluster-wide", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_into_a_SealedSecret_scoped_on_its_metadata_only_seals_keys_that_open()
    {
        using var f = new SealingFixture();
        var path = SealClusterWide(f, "t.yaml", drop: "template");
        var merge = CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", path], Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData: {extra: hello}\n"));
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        var verify = CliRunner.Run(["seal", "--verify", "--key", f.KeyPath, path]);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("2 keys open (cluster-wide scope)", verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_warns_when_the_template_names_another_scope()
    {
        using var f = new SealingFixture();
        var path = SealClusterWide(f, "t.yaml", drop: "metadata");
        var merge = CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", path], Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Secret\nstringData: {extra: hello}\n"));
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        Assert.Contains("keyward: warning: ", merge.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.template", merge.Stderr, StringComparison.Ordinal);
    }
}
