using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// The SOPS commands take files as a list, so System.CommandLine hands them a flag they do not know as a file name:
/// <c>updatekeys -o out.yaml</c> must say unknown flag "-o", not that a file "-o" does not exist.
/// </summary>
public sealed class SopsUnknownFlagTests : KeyedSopsTest
{
    [Theory]
    [InlineData("encrypt", "--pgp", "keyward supports age keys only")]
    [InlineData("encrypt", "--kms", "keyward supports age keys only")]
    [InlineData("encrypt", "-r", "--age")]
    [InlineData("encrypt", "--indent", "indent")]
    [InlineData("decrypt", "--set", "keyward set FILE PATH VALUE")]
    [InlineData("decrypt", "--unset", "keyward unset FILE PATH")]
    [InlineData("decrypt", "-s", "keyward git-diff FILE lists them")]
    [InlineData("decrypt", "--show-master-keys", "keyward git-diff FILE lists them")]
    [InlineData("decrypt", "--bogus", "--help")]
    [InlineData("updatekeys", "-o", "has no -o or --output")]
    [InlineData("rotate", "--pgp", "keyward supports age keys only")]
    [InlineData("edit", "--pgp", "keyward supports age keys only")]
    [InlineData("exec-env", "--pgp", "keyward supports age keys only")]
    public void An_unknown_flag_is_named_as_one_with_a_hint(string command, string flag, string hint)
    {
        var path = Dir.File("p.yaml");
        File.WriteAllText(path, "a: b\n");
        var r = Run(command, flag, "x", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"keyward: error: unknown flag \"{flag}\"", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", r.Stderr, StringComparison.Ordinal);
        var hintLine = r.Stderr.Split('\n').First(l => l.StartsWith("keyward: hint:", StringComparison.Ordinal));
        Assert.Contains(hint, hintLine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("encrypt")]
    [InlineData("decrypt")]
    [InlineData("rotate")]
    public void Minus_o_is_output_as_in_the_other_commands(string command)
    {
        var path = Dir.File("s.yaml");
        File.WriteAllText(path, "token: Zq8vN2kP4xR7tY1wE5uI\n");
        var encrypted = Dir.File("s.enc.yaml");
        Assert.Equal(0, Run("encrypt", "--age", Recipient, "-o", encrypted, path).ExitCode);
        var output = Dir.File("out.yaml");
        var r = command == "encrypt" ? Run("encrypt", "--age", Recipient, "-o", output, path) : Run(command, "-o", output, encrypted);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(r.StdoutText);
        Assert.True(File.Exists(output));
        Assert.Equal(command == "decrypt", File.ReadAllText(output).Contains("Zq8vN2kP4xR7tY1wE5uI", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--set", "keyward set FILE PATH VALUE")]
    [InlineData("--unset", "keyward unset FILE PATH")]
    [InlineData("-s", "keyward git-diff FILE lists them")]
    public void Sops_flags_that_name_no_command_get_one_error_and_what_to_use(string flag, string hint)
    {
        var path = Dir.File("p.yaml");
        File.WriteAllText(path, "a: b\n");
        var r = Run(flag, "[\"a\"] \"c\"", path);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"keyward: error: unknown flag \"{flag}\"", "keyward: hint: "], lines.Select(l => l.StartsWith("keyward: hint: ", StringComparison.Ordinal) ? "keyward: hint: " : l));
        Assert.Contains(hint, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Sops_edit_form_a_file_alone_points_at_keyward_edit()
    {
        var path = Dir.File("p.yaml");
        File.WriteAllText(path, "a: b\n");
        var r = Run(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"keyward: error: \"{path}\" is not a command", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"keyward: hint: sops FILE opens FILE in an editor; here that is keyward edit {path}", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flag_with_its_value_attached_is_named_without_the_value()
    {
        var path = Dir.File("p.yaml");
        File.WriteAllText(path, "a: b\n");
        var r = Run("encrypt", "--indent=2", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("keyward: error: unknown flag \"--indent\"", r.Stderr, StringComparison.Ordinal);
    }
}
