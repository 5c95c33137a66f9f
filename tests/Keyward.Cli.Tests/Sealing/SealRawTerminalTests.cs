using System.Text;
using Keyward.Cli.Tests.Support;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>seal --raw with stdin on a terminal asks without echo and drops the newline of the typed line; a pipe keeps its bytes.</summary>
public sealed class SealRawTerminalTests
{
    private static (int Code, string Stdout, string Stderr, List<string> Prompts, int StdinRead) RunOnTerminal(string[] args, string? typed, byte[] stdin)
    {
        var prompts = new List<string>();
        var input = new MemoryStream(stdin);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var console = new CliConsole
        {
            Stdin = input,
            Stdout = stdout,
            Stderr = stderr,
            StdinIsTerminal = true,
            ReadSecret = prompt =>
            {
                prompts.Add(prompt);
                return typed;
            },
            Environment = _ => null,
        };
        int code = KeywardApp.Run(args, console);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString(), prompts, (int)input.Position);
    }

    private static string Open(SealingFixture f, string sealedValue)
    {
        var yaml = $"apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {{name: db, namespace: prod}}\nspec:\n  encryptedData:\n    v: {sealedValue.TrimEnd('\n')}\n";
        File.WriteAllText(f.File("hand.yaml"), yaml);
        var unsealed = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("hand.yaml")]);
        Assert.Equal(0, unsealed.ExitCode);
        var data = (YamlMap)ManifestLoader.Load(unsealed.StdoutText, "x").Documents[0].Root.Child("data")!;
        return Encoding.UTF8.GetString(Convert.FromBase64String(((YamlScalar)data["v"]!).Value));
    }

    [Fact]
    public void On_a_terminal_the_value_is_asked_without_echo_and_sealed_without_its_newline()
    {
        using var f = new SealingFixture();
        var run = RunOnTerminal(["seal", "--raw", "--cert", f.CertPath, "-n", "prod", "--name", "db"], "topsecret", "never read\n"u8.ToArray());
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Single(run.Prompts);
        Assert.Contains("value", run.Prompts[0], StringComparison.Ordinal);
        Assert.Equal(0, run.StdinRead);
        Assert.DoesNotContain("topsecret", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("topsecret", Open(f, run.Stdout));
    }

    [Fact]
    public void On_a_terminal_with_no_way_to_ask_it_is_an_error_with_a_hint()
    {
        using var f = new SealingFixture();
        var run = RunOnTerminal(["seal", "--raw", "--cert", f.CertPath, "-n", "prod", "--name", "db"], null, []);
        Assert.Equal(2, run.Code);
        Assert.Contains("keyward: hint:", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void An_empty_typed_value_is_refused()
    {
        using var f = new SealingFixture();
        var run = RunOnTerminal(["seal", "--raw", "--cert", f.CertPath, "-n", "prod", "--name", "db"], "", []);
        Assert.Equal(2, run.Code);
        Assert.Contains("keyward: hint:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void From_a_pipe_the_bytes_are_exact_trailing_newline_included()
    {
        using var f = new SealingFixture();
        var raw = CliRunner.Run(["seal", "--raw", "--cert", f.CertPath, "-n", "prod", "--name", "db"], "piped\n"u8.ToArray(),
            readSecret: _ => throw new InvalidOperationException("no prompt for a pipe"));
        Assert.True(raw.ExitCode == 0, raw.Stderr);
        Assert.Equal("piped\n", Open(f, raw.StdoutText));
    }

    [Fact]
    public void From_file_on_a_terminal_does_not_prompt()
    {
        using var f = new SealingFixture();
        File.WriteAllText(f.File("value.txt"), "filed\n");
        var run = RunOnTerminal(["seal", "--raw", "--cert", f.CertPath, "-n", "prod", "--name", "db", "--from-file", f.File("value.txt")], "typed", []);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Empty(run.Prompts);
        Assert.Equal("filed\n", Open(f, run.Stdout));
    }
}
