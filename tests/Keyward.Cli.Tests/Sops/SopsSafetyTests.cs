using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// Commands that must refuse rather than write a file nobody can use (rotate, set under "sops"), keep secrets out of
/// error messages, and keep a command's arguments as they were given (exec-env, exec-file).
/// </summary>
public sealed class SopsSafetyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly X25519Identity _a = X25519Identity.Generate();
    private readonly X25519Identity _b = X25519Identity.Generate();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _dir.Dispose();
    }

    private CliRunner.Result Run(params string[] args) => RunWith(null, args);

    private CliRunner.Result RunWith(byte[]? stdin, params string[] args) =>
        CliRunner.Run(args, stdin, environment: name => name switch
        {
            "SOPS_AGE_KEY" => _a.ExportSecretKey() + "\n" + _b.ExportSecretKey(),
            "HOME" => _dir.Path,
            _ => null,
        });

    /// <summary><c>keyward edit FILE</c> with the shell script <paramref name="editor"/> as the editor.</summary>
    private CliRunner.Result EditWith(string editor, string file) =>
        CliRunner.Run(["edit", file], environment: name => name switch
        {
            "SOPS_AGE_KEY" => _a.ExportSecretKey(),
            "EDITOR" => "sh " + editor,
            _ => null,
        });

    private string Encrypted(string name, string plain, params string[] extra)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, plain);
        var r = Run(["encrypt", "-i", .. extra, path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return path;
    }

    [Fact]
    public void Rotate_refuses_to_remove_every_recipient_and_leaves_the_file_untouched()
    {
        var a = _a.Recipient.ToString();
        var path = Encrypted("r.yaml", "pw: one\n", "--age", a);
        var before = File.ReadAllBytes(path);

        var r = Run("rotate", "-i", "--rm-age", a, path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("keyward: error: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("no one", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(0, Run("decrypt", path).ExitCode);
    }

    [Fact]
    public void Rotate_refuses_to_leave_fewer_key_groups_than_the_shamir_threshold()
    {
        var path = _dir.File("s.yaml");
        File.WriteAllText(_dir.File(".sops.yaml"),
            $"creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{_a.Recipient}]\n      - age: [{_b.Recipient}]\n");
        File.WriteAllText(path, "pw: one\n");
        var enc = Run("encrypt", "--config", _dir.File(".sops.yaml"), "-i", path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        var before = File.ReadAllBytes(path);

        var r = Run("rotate", "-i", "--rm-age", _b.Recipient.ToString(), path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("shamir_threshold", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Rotate_rm_age_of_a_recipient_not_in_the_file_is_an_error_and_the_flags_repeat_like_comma_lists()
    {
        var path = Encrypted("m.yaml", "pw: one\n", "--age", $"{_a.Recipient},{_b.Recipient}");
        var before = File.ReadAllBytes(path);
        using var other = X25519Identity.Generate();

        var missing = Run("rotate", "-i", "--rm-age", other.Recipient.ToString(), path);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not a recipient", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));

        // Repeated --add-age and --rm-age work as their comma-separated forms do.
        var added = Run("rotate", "-i", "--add-age", other.Recipient.ToString(), "--add-age", _b.Recipient.ToString(), path);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains(other.Recipient.ToString(), File.ReadAllText(path), StringComparison.Ordinal);
        var removed = Run("rotate", "-i", "--rm-age", other.Recipient.ToString(), "--rm-age", _b.Recipient.ToString(), path);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        var text = File.ReadAllText(path);
        Assert.DoesNotContain(other.Recipient.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(_b.Recipient.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(_a.Recipient.ToString(), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set", "[\"sops\"][\"foo\"]")]
    [InlineData("set", "[\"sops\"]")]
    [InlineData("unset", "[\"sops\"][\"mac\"]")]
    public void Set_and_unset_refuse_the_reserved_top_level_sops_key(string command, string path)
    {
        var file = Encrypted("k.yaml", "pw: one\n", "--age", _a.Recipient.ToString());
        var before = File.ReadAllBytes(file);
        var r = command == "set" ? RunWith("{}"u8.ToArray(), "set", file, path, "--value-stdin") : Run("unset", file, path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("reserved", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));

        // Below the top level, "sops" is an ordinary key.
        var nested = RunWith("\"x\""u8.ToArray(), "set", file, "[\"app\"][\"sops\"]", "--value-stdin");
        Assert.True(nested.ExitCode == 0, nested.Stderr);
    }

    [Fact]
    public void Edit_that_adds_a_top_level_sops_key_says_the_key_is_reserved()
    {
        var file = Encrypted("ed.yaml", "pw: one\n", "--age", _a.Recipient.ToString());
        var before = File.ReadAllBytes(file);
        var editor = _dir.File("ed.sh");
        File.WriteAllText(editor, "#!/bin/sh\nprintf 'sops:\\n  foo: 1\\n' >> \"$1\"\n");
        var r = EditWith(editor, file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("reserved", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("lists no keys", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Theory]
    [InlineData("tG7kP2mQx9-prod-db")]
    [InlineData("nulLSecretTail-77")]
    [InlineData("{\"a\": tSecretInside}")]
    [InlineData("[1, 2, fSecretInList]")]
    public void Invalid_json_values_are_not_echoed_in_the_error(string value)
    {
        var file = Encrypted("j.json", "{\"pw\": \"one\"}\n", "--age", _a.Recipient.ToString());
        var r = RunWith(Encoding.UTF8.GetBytes(value), "set", file, "[\"pw\"]", "--value-stdin");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("invalid JSON", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 1 column", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-prod-db", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_from_the_editor_is_not_echoed_in_the_error()
    {
        var file = Encrypted("je.json", "{\"token\": \"one\"}\n", "--age", _a.Recipient.ToString());
        var editor = _dir.File("je.sh");
        File.WriteAllText(editor, "#!/bin/sh\nprintf '{\\n  \"token\": ta7Kx9_Q2mZ-live-Secret\\n}\\n' > \"$1\"\n");
        var r = EditWith(editor, file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2 column", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("live-Secret", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sops_age_key_holding_a_whole_age_keygen_output_works_and_errors_name_the_real_line()
    {
        var file = Encrypted("id.yaml", "pw: one\n", "--age", _b.Recipient.ToString());
        var keygen = $"# created: 2024-01-01T00:00:00Z\r\n# public key: {_b.Recipient}\r\n\r\n{_b.ExportSecretKey()}\r\n";
        var ok = CliRunner.Run(["decrypt", file], environment: name => name == "SOPS_AGE_KEY" ? keygen : null);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Equal("pw: one\n", ok.StdoutText);

        // Two keys on one line, separated by a space, keep working.
        var oneLine = CliRunner.Run(["decrypt", file], environment: name => name == "SOPS_AGE_KEY" ? _a.ExportSecretKey() + " " + _b.ExportSecretKey() : null);
        Assert.True(oneLine.ExitCode == 0, oneLine.Stderr);

        var broken = CliRunner.Run(["decrypt", file], environment: name => name == "SOPS_AGE_KEY" ? "# a comment with spaces\n\nnot-a-key\n" : null);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("SOPS_AGE_KEY line 3:", broken.Stderr, StringComparison.Ordinal);

        // A comment after a key is no comment to age (a key file says "malformed"), so the variable says the same
        // of its line instead of "no identities found", and the key itself is not echoed.
        var trailing = CliRunner.Run(["decrypt", file], environment: name => name == "SOPS_AGE_KEY" ? $"# mine\n{_b.ExportSecretKey()} # laptop\n" : null);
        Assert.Equal(2, trailing.ExitCode);
        Assert.Contains("SOPS_AGE_KEY line 2: malformed", trailing.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_b.ExportSecretKey()[..20], trailing.Stderr, StringComparison.Ordinal);
    }

    // A child writes to the real stdout, not the in-process one: the commands write what they saw to a file.
    [Fact]
    public void Exec_env_with_several_words_runs_them_as_argv_without_a_shell()
    {
        var file = Encrypted("env.yaml", "DB_PASS: s3cr3t\n", "--age", _a.Recipient.ToString());
        var seen = _dir.File("seen");
        var r = Run("exec-env", file, "--", "sh", "-c", $"printf 'len=%s' \"${{#DB_PASS}}\" > {seen}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("len=6", File.ReadAllText(seen));

        var marker = _dir.File("injected");
        var words = Run("exec-env", file, "--", "sh", "-c", $"printf '%s|' \"$@\" > {seen}", "sh", "a b", $"c;touch {marker}", "$DB_PASS");
        Assert.True(words.ExitCode == 0, words.Stderr);
        Assert.Equal($"a b|c;touch {marker}|$DB_PASS|", File.ReadAllText(seen));
        Assert.False(File.Exists(marker));

        // One word is a shell command, as in sops.
        var shell = Run("exec-env", file, $"printf %s \"$DB_PASS\" | wc -c > {seen}");
        Assert.True(shell.ExitCode == 0, shell.Stderr);
        Assert.Equal("6", File.ReadAllText(seen).Trim());

        var missing = Run("exec-env", file, "--", "no-such-command-kw", "x");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no-such-command-kw", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_file_with_several_words_replaces_the_placeholder_in_each_argument_without_a_shell()
    {
        var file = Encrypted("ef.yaml", "pw: s3cr3t\n", "--age", _a.Recipient.ToString());
        var copy = _dir.File("copy;echo INJECTED");
        var r = Run("exec-file", file, "--", "cp", "{}", copy);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("pw: s3cr3t\n", File.ReadAllText(copy));

        var seen = _dir.File("seen");
        var prefixed = Run("exec-file", file, "--", "sh", "-c", $"cat \"$1\" > {seen}", "sh", "{}");
        Assert.True(prefixed.ExitCode == 0, prefixed.Stderr);
        Assert.Equal("pw: s3cr3t\n", File.ReadAllText(seen));
    }

    [Fact]
    public void Exec_file_shell_form_cannot_be_injected_through_the_file_name()
    {
        var marker = "injected-" + Guid.NewGuid().ToString("N")[..8];
        var file = Encrypted($"x;touch {marker};.yaml", "pw: s3cr3t\n", "--age", _a.Recipient.ToString());
        var seen = _dir.File("seen");
        var r = Run("exec-file", file, $"cat {{}} > {seen}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("pw: s3cr3t\n", File.ReadAllText(seen));
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), marker)));
    }

    [Fact]
    public void Exec_env_names_a_nested_value_with_a_hint()
    {
        var file = Encrypted("nest.yaml", "a: one\nb:\n  c: two\n", "--age", _a.Recipient.ToString());
        var r = Run("exec-env", file, "true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_past_the_end_of_a_list_has_a_hint()
    {
        var file = Encrypted("l.yaml", "hosts:\n  - a\n  - b\n", "--age", _a.Recipient.ToString());
        var r = RunWith("\"c\""u8.ToArray(), "set", file, "[\"hosts\"][5]", "--value-stdin");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("l.yaml", "hosts:\n  - a\n  - port: 1\n    name: b\n", "- a\n- port: 1\n  name: b\n")]
    [InlineData("l.json", "{\"hosts\": [\"a\", {\"port\": 1}]}\n", "[\n\t\"a\",\n\t{\n\t\t\"port\": 1\n\t}\n]\n")]
    public void Decrypt_extract_of_a_list_prints_it_as_sops_does(string name, string plain, string expected)
    {
        var file = Encrypted(name, plain, "--age", _a.Recipient.ToString());
        var r = Run("decrypt", "--extract", "[\"hosts\"]", file);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(expected, r.StdoutText);
    }

    [Fact]
    public void Git_diff_of_a_file_that_fails_its_mac_check_warns_but_still_shows_the_content()
    {
        var file = Encrypted("gd.yaml", "namespace: prod\npw: one\n", "--age", _a.Recipient.ToString(), "--unencrypted-regex", "^namespace$");
        File.WriteAllText(file, File.ReadAllText(file).Replace("namespace: prod", "namespace: kube-system", StringComparison.Ordinal));
        var r = Run("git-diff", file);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("namespace: kube-system", r.StdoutText, StringComparison.Ordinal);
        Assert.Contains("keyward: warning: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("MAC mismatch", r.Stderr, StringComparison.Ordinal);

        var clean = Encrypted("gd2.yaml", "pw: one\n", "--age", _a.Recipient.ToString());
        Assert.Equal("", Run("git-diff", clean).Stderr);
    }

    [Fact]
    public void No_kubernetes_note_when_the_creation_rule_sets_its_own_regex()
    {
        File.WriteAllText(_dir.File(".sops.yaml"), $"creation_rules:\n  - encrypted_regex: ^(data)$\n    age: {_a.Recipient}\n");
        var path = _dir.File("secret.yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  pw: b25l\n");
        var r = Run("encrypt", "--config", _dir.File(".sops.yaml"), "-i", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("note:", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sops_yml_without_a_sops_yaml_gives_a_warning_naming_it()
    {
        var sub = Directory.CreateDirectory(_dir.File("yml")).FullName;
        File.WriteAllText(Path.Combine(sub, ".sops.yml"), $"creation_rules:\n  - age: {_a.Recipient}\n");
        var path = Path.Combine(sub, "w.yaml");
        File.WriteAllText(path, "pw: one\n");
        var r = Run("encrypt", "--age", _a.Recipient.ToString(), path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("keyward: warning: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(".sops.yml", r.Stderr, StringComparison.Ordinal);
    }
}
