using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli;

namespace Keyward.Cli.Tests.Sops;

/// <summary>edit, rotate, updatekeys, exec-env, key groups with a threshold, identity sources and warnings, in process.</summary>
public sealed class SopsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-sops-cmd").FullName;
    private readonly X25519Identity _a = X25519Identity.Generate();
    private readonly X25519Identity _b = X25519Identity.Generate();
    private readonly X25519Identity _c = X25519Identity.Generate();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) Run(Dictionary<string, string> env, string stdin, bool terminal, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var console = new CliConsole
        {
            Stdin = new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
            Stdout = stdout,
            Stderr = stderr,
            StdinIsTerminal = terminal,
            Environment = name => env.GetValueOrDefault(name) ?? (name == "HOME" ? _dir : null),
        };
        var code = KeywardApp.Run(args, console);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(KeyEnv(_a), "", false, args);

    private static Dictionary<string, string> KeyEnv(params X25519Identity[] ids) =>
        new() { ["SOPS_AGE_KEY"] = string.Join("\n", ids.Select(i => i.ExportSecretKey())) };

    private string Encrypted(string name, string plain, params X25519Identity[] to)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, plain);
        var r = Run("encrypt", "--age", string.Join(",", to.Select(i => i.Recipient.ToString())), "-i", path);
        Assert.True(r.Code == 0, r.Stderr);
        return path;
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        return path;
    }

    [Fact]
    public void Edit_writes_only_a_changed_valid_text_and_the_plaintext_file_is_private_and_removed()
    {
        var path = Encrypted("e.yaml", "a: one\nb: two\n", _a);
        var log = Path.Combine(_dir, "editor.log");
        var change = Script("change.sh", $"stat -c %a \"$1\" >> {log}; echo \"$1\" >> {log}; sed -i 's/b: two/b: TWO/' \"$1\"");
        var noop = Script("noop.sh", $"echo \"$1\" >> {log}");
        var invalid = Script("invalid.sh", $"echo \"$1\" >> {log}; printf 'a: [unclosed\\n' > \"$1\"");

        var before = File.ReadAllBytes(path);
        var env = KeyEnv(_a);
        env["EDITOR"] = "sh " + noop;
        var r = Run(env, "", false, "edit", path);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("unchanged", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));

        env["EDITOR"] = "sh " + invalid;
        r = Run(env, "", false, "edit", path);
        Assert.Equal(2, r.Code);
        Assert.Contains("invalid YAML", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));

        env["EDITOR"] = "sh " + change;
        r = Run(env, "", false, "edit", path);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Equal("a: one\nb: TWO\n", Run("decrypt", path).Stdout);
        var lines = File.ReadAllLines(log);
        Assert.Equal("600", lines[^2]);
        Assert.All(lines.Where(l => l.StartsWith('/')), temp =>
        {
            Assert.False(File.Exists(temp), $"the plaintext file {temp} was left behind");
            Assert.False(temp.StartsWith(_dir, StringComparison.Ordinal));
        });
        Assert.DoesNotContain("TWO", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_at_a_terminal_offers_the_editor_again_after_invalid_text()
    {
        var path = Encrypted("t.yaml", "a: one\n", _a);
        var count = Path.Combine(_dir, "count");
        var editor = Script("twice.sh", $"if [ -f {count} ]; then printf 'a: fixed\\n' > \"$1\"; else touch {count}; printf 'a: [\\n' > \"$1\"; fi");
        var env = KeyEnv(_a);
        env["EDITOR"] = "sh " + editor;
        var r = Run(env, "\n", true, "edit", path);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("edit the file again", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("a: fixed\n", Run("decrypt", path).Stdout);

        File.Delete(count);
        var before = File.ReadAllBytes(path);
        r = Run(env, "q\n", true, "edit", path);
        Assert.Equal(1, r.Code);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Rotate_makes_a_new_data_key_and_new_ciphertexts_that_still_decrypt()
    {
        var path = Encrypted("r.yaml", "a: one\nb:\n  c: 3\n", _a, _b);
        var before = File.ReadAllText(path);
        var r = Run("rotate", "-i", path);
        Assert.True(r.Code == 0, r.Stderr);
        var after = File.ReadAllText(path);
        static List<string> Values(string text) => text.Split('\n').Where(l => l.Contains("ENC[", StringComparison.Ordinal)).ToList();
        Assert.Equal(Values(before).Count, Values(after).Count);
        Assert.Empty(Values(before).Intersect(Values(after)));
        Assert.Equal("a: one\nb:\n  c: 3\n", Run(KeyEnv(_b), "", false, "decrypt", path).Stdout);
        // The old data key does not open the new values: the file's ciphertexts were all replaced.
        var mixed = after.Replace(Values(after)[0], Values(before)[0], StringComparison.Ordinal);
        File.WriteAllText(path, mixed);
        Assert.Equal(1, Run("decrypt", "--ignore-mac", path).Code);
    }

    [Fact]
    public void Updatekeys_asks_and_rewraps_for_the_rule_recipients()
    {
        var path = Encrypted("u.yaml", "x: 1\n", _a);
        var config = Path.Combine(_dir, ".sops.yaml");
        File.WriteAllText(config, $"creation_rules:\n  - path_regex: u\\.yaml$\n    age: {_a.Recipient},{_b.Recipient}\n");
        var before = File.ReadAllBytes(path);

        Assert.Equal(2, Run(KeyEnv(_a), "", false, "updatekeys", "--config", config, path).Code);
        var no = Run(KeyEnv(_a), "n\n", true, "updatekeys", "--config", config, path);
        Assert.Contains("+++ " + _b.Recipient, no.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, Run(KeyEnv(_b), "", false, "decrypt", path).Code);

        var yes = Run(KeyEnv(_a), "y\n", true, "updatekeys", "--config", config, path);
        Assert.True(yes.Code == 0, yes.Stderr);
        Assert.Equal("x: 1\n", Run(KeyEnv(_b), "", false, "decrypt", path).Stdout);

        File.WriteAllText(config, $"creation_rules:\n  - path_regex: u\\.yaml$\n    age: {_c.Recipient}\n");
        Assert.Equal(0, Run(KeyEnv(_a), "", false, "updatekeys", "--yes", "--config", config, path).Code);
        Assert.Equal("x: 1\n", Run(KeyEnv(_c), "", false, "decrypt", path).Stdout);
        Assert.Equal(1, Run(KeyEnv(_a), "", false, "decrypt", path).Code);
    }

    [Fact]
    public void Three_key_groups_with_threshold_two_open_with_any_two()
    {
        var config = Path.Combine(_dir, ".sops.yaml");
        File.WriteAllText(config, $"creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{_a.Recipient}]\n      - age: [{_b.Recipient}]\n      - age: [{_c.Recipient}]\n");
        var path = Path.Combine(_dir, "g.yaml");
        File.WriteAllText(path, "s: secret\n");
        var r = Run("encrypt", "--config", config, "-i", path);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("shamir_threshold: 2", File.ReadAllText(path), StringComparison.Ordinal);
        foreach (var pair in new[] { (_a, _b), (_b, _c), (_a, _c) })
            Assert.Equal("s: secret\n", Run(KeyEnv(pair.Item1, pair.Item2), "", false, "decrypt", path).Stdout);
        var one = Run(KeyEnv(_b), "", false, "decrypt", path);
        Assert.Equal(1, one.Code);
        Assert.Contains("1 of the 2 key groups", one.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Identities_come_from_every_place_sops_looks()
    {
        var path = Encrypted("i.yaml", "k: v\n", _a);
        var keyFile = Path.Combine(_dir, "keys.agekey");
        File.WriteAllText(keyFile, _a.ExportSecretKey() + "\n");
        var xdg = Path.Combine(_dir, "xdg");
        Directory.CreateDirectory(Path.Combine(xdg, "sops", "age"));
        File.WriteAllText(Path.Combine(xdg, "sops", "age", "keys.txt"), _a.ExportSecretKey() + "\n");
        Directory.CreateDirectory(Path.Combine(_dir, ".config", "sops", "age"));

        Assert.Equal(1, Run([], "", false, "decrypt", path).Code);
        Assert.Equal("k: v\n", Run(new() { ["SOPS_AGE_KEY_FILE"] = keyFile }, "", false, "decrypt", path).Stdout);
        Assert.Equal("k: v\n", Run(new() { ["XDG_CONFIG_HOME"] = xdg }, "", false, "decrypt", path).Stdout);
        Assert.Equal("k: v\n", Run([], "", false, "decrypt", "--identity", keyFile, path).Stdout);
        var none = Run([], "", false, "decrypt", path);
        Assert.Contains(_a.Recipient.ToString(), none.Stderr, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, ".config", "sops", "age", "keys.txt"), _a.ExportSecretKey() + "\n");
        Assert.Equal("k: v\n", Run([], "", false, "decrypt", path).Stdout);
        var missing = Run(new() { ["SOPS_AGE_KEY_FILE"] = Path.Combine(_dir, "nope") }, "", false, "decrypt", path);
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_env_gives_the_child_the_values_without_argv_or_disk()
    {
        var path = Encrypted("x.yaml", "password: hunter2-xyz\n", _a);
        var seen = Path.Combine(_dir, "seen");
        var r = Run("exec-env", path, $"printf %s \"$password\" > {seen}; tr '\\0' ' ' < /proc/$$/cmdline >> {seen}");
        Assert.True(r.Code == 0, r.Stderr);
        var text = File.ReadAllText(seen);
        Assert.StartsWith("hunter2-xyz", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-xyz", text["hunter2-xyz".Length..], StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(_dir), f => f != seen && File.ReadAllText(f).Contains("hunter2-xyz", StringComparison.Ordinal));
    }

    [Fact]
    public void Plaintext_comments_where_sops_would_encrypt_give_a_warning()
    {
        var path = Encrypted("w.yaml", "# note\na: one\n", _a);
        var text = File.ReadAllText(path);
        var line = text.Split('\n').First(l => l.StartsWith("#ENC[", StringComparison.Ordinal));
        File.WriteAllText(path, text.Replace(line, "# old plain comment", StringComparison.Ordinal));
        var r = Run("decrypt", path);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("keyward: warning: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("in plain text", r.Stderr, StringComparison.Ordinal);
    }
}
