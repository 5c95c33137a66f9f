using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// A YAML "billion laughs" (1.2 kB of nested aliases) given to the commands that read SOPS YAML: each refuses it
/// promptly as an input error naming the file and the alias, and writes nothing. <c>git-diff</c> runs as git's
/// textconv, so a hang there would hang <c>git diff</c> for anyone with the driver set up.
/// </summary>
public sealed class AliasBombTests : KeyedSopsTest
{
    private const string Bomb = """
        a: &a ["x","x","x","x","x","x","x","x","x"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]

        """;

    /// <summary>Runs the command on a thread and fails the test, rather than hanging it, when it does not end.</summary>
    private CliRunner.Result RunWithin(TimeSpan limit, params string[] args)
    {
        var run = Task.Run(() => Run(args));
        Assert.True(run.Wait(limit), $"keyward {string.Join(' ', args)} did not end within {limit.TotalSeconds} s");
        return run.Result;
    }

    [Theory]
    [InlineData("decrypt")]
    [InlineData("decrypt -i")]
    [InlineData("decrypt --output")]
    [InlineData("encrypt")]
    [InlineData("encrypt -i")]
    [InlineData("git-diff")]
    public void A_billion_laughs_file_is_refused_promptly_as_an_input_error(string command)
    {
        var path = Dir.File("bomb.yaml");
        File.WriteAllText(path, Bomb);
        var output = Dir.File("out.yaml");
        string[] args = command switch
        {
            "decrypt --output" => ["decrypt", "--output", output, path],
            "encrypt" => ["encrypt", "--age", Recipient, path],
            "encrypt -i" => ["encrypt", "-i", "--age", Recipient, path],
            _ => [.. command.Split(' '), path],
        };
        var r = RunWithin(TimeSpan.FromSeconds(30), args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"keyward: error: \"{path}\" line 7 column 8: invalid YAML: aliases expand to too many nodes", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(r.Stdout);
        Assert.False(File.Exists(output));
        Assert.Equal(Bomb, File.ReadAllText(path));
        Assert.Equal(["bomb.yaml"], Directory.GetFiles(Dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_with_a_few_aliases_is_encrypted_with_the_aliases_expanded()
    {
        var path = Dir.File("app.yaml");
        File.WriteAllText(path, "defaults: &d\n  user: admin\n  password: hunter2\nprimary: *d\nlist: &l [a, b]\nlists: [*l, *l]\n");
        var encrypted = Run("encrypt", "-i", "--age", Recipient, path);
        Assert.True(encrypted.ExitCode == 0, encrypted.Stderr);
        Assert.DoesNotContain("hunter2", File.ReadAllText(path), StringComparison.Ordinal);
        var decrypted = Run("decrypt", path);
        Assert.True(decrypted.ExitCode == 0, decrypted.Stderr);
        Assert.Equal("defaults:\n  user: admin\n  password: hunter2\nprimary:\n  user: admin\n  password: hunter2\n"
            + "list:\n  - a\n  - b\nlists:\n  -\n    - a\n    - b\n  -\n    - a\n    - b\n", decrypted.StdoutText);
    }
}
