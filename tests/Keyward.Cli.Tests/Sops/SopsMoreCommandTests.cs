using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sops;

/// <summary>git-diff, exec-file, encrypt --recursive, the upward .sops.yaml search and the SSH identity sources.</summary>
public sealed class SopsMoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-sops-more").FullName;
    private readonly X25519Identity _a = X25519Identity.Generate();
    private readonly X25519Identity _b = X25519Identity.Generate();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, byte[] Stdout, string Stderr) RunBytes(Dictionary<string, string> env, params string[] args)
    {
        var r = CliRunner.Run(args, environment: name => env.GetValueOrDefault(name) ?? (name == "HOME" ? _dir : null));
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    private (int Code, string Stdout, string Stderr) Run(Dictionary<string, string> env, params string[] args)
    {
        var r = RunBytes(env, args);
        return (r.Code, Encoding.UTF8.GetString(r.Stdout), r.Stderr);
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(KeyEnv(_a), args);

    private static Dictionary<string, string> KeyEnv(params X25519Identity[] ids) =>
        new() { ["SOPS_AGE_KEY"] = string.Join("\n", ids.Select(i => i.ExportSecretKey())) };

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private string Encrypted(string name, string plain, string recipient)
    {
        var path = Write(name, plain);
        var r = Run("encrypt", "--age", recipient, "-i", path);
        Assert.True(r.Code == 0, r.Stderr);
        return path;
    }

    [Fact]
    public void Git_diff_prints_the_decrypted_view_stable_across_rotation_and_the_raw_file_without_a_key()
    {
        const string plain = "# db\nuser: admin\npassword: hunter2-gd\n";
        var path = Encrypted("gd.enc.yaml", plain, _a.Recipient.ToString());
        Assert.DoesNotContain("hunter2-gd", File.ReadAllText(path), StringComparison.Ordinal);

        // The content, then who can decrypt it: a change of recipients changes no value, and must not diff as nothing.
        var view = plain + $"# keyward git-diff: who can decrypt this file\n#   age {_a.Recipient}\n";
        var first = Run("git-diff", path);
        Assert.True(first.Code == 0, first.Stderr);
        Assert.Equal(view, first.Stdout);
        Assert.Equal(first.Stdout, Run("git-diff", path).Stdout);

        // A rotation changes every ciphertext, the MAC and lastmodified; the textconv view must not change.
        var before = File.ReadAllText(path);
        Assert.Equal(0, Run("rotate", "-i", path).Code);
        Assert.NotEqual(before, File.ReadAllText(path));
        Assert.Equal(view, Run("git-diff", path).Stdout);

        // A recipient added shows.
        Assert.Equal(0, Run("rotate", "-i", "--add-age", _b.Recipient.ToString(), path).Code);
        Assert.Equal(view + $"#   age {_b.Recipient}\n", Run("git-diff", path).Stdout);
        Assert.Equal(0, Run("rotate", "-i", "--rm-age", _b.Recipient.ToString(), path).Code);

        // Without a usable key (another identity only, then none at all) the file is shown as it is, and git gets exit 0.
        var raw = File.ReadAllBytes(path);
        foreach (var env in new[] { KeyEnv(_b), new Dictionary<string, string>() })
        {
            var r = RunBytes(env, "git-diff", path);
            Assert.True(r.Code == 0, r.Stderr);
            Assert.Equal(raw, r.Stdout);
            Assert.Contains("as it is", r.Stderr, StringComparison.Ordinal);
        }

        // A file that is not encrypted at all is shown as it is too.
        var plainFile = Write("plain.yaml", "a: 1\n");
        var p = RunBytes(KeyEnv(_a), "git-diff", plainFile);
        Assert.True(p.Code == 0, p.Stderr);
        Assert.Equal(File.ReadAllBytes(plainFile), p.Stdout);
    }

    [Fact]
    public void Exec_file_gives_the_command_a_private_temporary_plaintext_file_that_is_removed_afterwards()
    {
        const string plain = "token: hunter2-ef\nnested:\n  k: v\n";
        var path = Encrypted("ef.yaml", plain, _a.Recipient.ToString());
        var record = Path.Combine(_dir, "record");
        var r = Run("exec-file", path, "--",
            $"printf '%s\\n' {{}} > {record}; stat -c %a {{}} >> {record}; stat -c %a $(dirname {{}}) >> {record}; sha256sum < {{}} | cut -d' ' -f1 >> {record}");
        Assert.True(r.Code == 0, r.Stderr);
        var lines = File.ReadAllLines(record);
        Assert.Equal(4, lines.Length);
        var temp = lines[0];
        Assert.True(Path.IsPathRooted(temp), temp);
        Assert.False(temp.StartsWith(_dir, StringComparison.Ordinal), $"the plaintext file {temp} was put in the working folder");
        Assert.Equal("600", lines[1]);
        Assert.Equal("700", lines[2]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain))), lines[3]);
        Assert.False(File.Exists(temp), $"the plaintext file {temp} was left behind");
        Assert.False(Directory.Exists(Path.GetDirectoryName(temp)), "the private temporary folder was left behind");
        Assert.DoesNotContain(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories),
            f => File.ReadAllText(f).Contains("hunter2-ef", StringComparison.Ordinal));

        // The command's exit code is passed on, and the file is removed after a failing command as well.
        var failing = Run("exec-file", path, "--", $"printf '%s' {{}} > {record}; exit 7");
        Assert.Equal(7, failing.Code);
        Assert.False(File.Exists(File.ReadAllText(record)));
    }

    [Fact]
    public void Encrypt_recursive_encrypts_only_files_a_creation_rule_matches_and_skips_encrypted_ones()
    {
        var root = Path.Combine(_dir, "repo");
        Write("repo/.sops.yaml", $"creation_rules:\n  - path_regex: ^secrets/.*\\.yaml$\n    age: {_a.Recipient}\n");
        var matched = new[] { Write("repo/secrets/a.yaml", "a: one\n"), Write("repo/secrets/deep/b.yaml", "b: two\n") };
        var others = new[] { Write("repo/public/c.yaml", "c: three\n"), Write("repo/secrets/notes.txt", "plain notes\n"), Write("repo/secrets.yaml", "d: four\n") };
        var otherBytes = others.Select(File.ReadAllBytes).ToList();
        var config = Path.Combine(root, ".sops.yaml");
        var configBytes = File.ReadAllBytes(config);

        var r = Run("encrypt", "--config", config, "--recursive", root);
        Assert.True(r.Code == 0, r.Stderr);
        foreach (var f in matched)
        {
            var text = File.ReadAllText(f);
            Assert.Contains("ENC[AES256_GCM", text, StringComparison.Ordinal);
            Assert.Contains(_a.Recipient.ToString(), text, StringComparison.Ordinal);
        }
        Assert.Equal("a: one\n", Run("decrypt", matched[0]).Stdout);
        Assert.Equal("b: two\n", Run("decrypt", matched[1]).Stdout);
        Assert.Equal(otherBytes, others.Select(File.ReadAllBytes).ToList());
        Assert.Equal(configBytes, File.ReadAllBytes(config));

        // A second run with one new matching file encrypts only that one; the encrypted files stay byte for byte.
        var encrypted = matched.Select(File.ReadAllBytes).ToList();
        var added = Write("repo/secrets/c.yaml", "c: new\n");
        r = Run("encrypt", "--config", config, "--recursive", root);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Equal(encrypted, matched.Select(File.ReadAllBytes).ToList());
        Assert.Equal("c: new\n", Run("decrypt", added).Stdout);
        Assert.Equal(otherBytes, others.Select(File.ReadAllBytes).ToList());

        // A third run with nothing left to encrypt succeeds and changes nothing (scripts run it every time).
        var all = matched.Append(added).Select(File.ReadAllBytes).ToList();
        r = Run("encrypt", "--config", config, "--recursive", root);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Equal(all, matched.Append(added).Select(File.ReadAllBytes).ToList());
        Assert.Equal(2, Run("encrypt", "--config", config).Code);
    }

    /// <summary>The keyward built next to the tests, run in <paramref name="workingDirectory"/> (the in-process tests cannot change it safely).</summary>
    private (int Code, string Stdout, string Stderr) RunIn(string workingDirectory, params string[] args)
    {
        var psi = KeywardProcess.StartInfo(args);
        psi.WorkingDirectory = workingDirectory;
        psi.Environment.Remove("SOPS_CONFIG");
        psi.Environment["HOME"] = _dir;
        psi.Environment["SOPS_AGE_KEY"] = _a.ExportSecretKey() + "\n" + _b.ExportSecretKey();
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "keyward did not finish in 60 s");
        return (p.ExitCode, stdout, stderr.Result);
    }

    [Fact]
    public void The_sops_yaml_is_found_upwards_from_the_working_directory_then_from_the_files_folder()
    {
        Write("work/.sops.yaml", $"creation_rules:\n  - path_regex: \\.yaml$\n    age: {_a.Recipient}\n");
        var cwd = Path.Combine(_dir, "work", "sub", "deeper");
        Directory.CreateDirectory(cwd);
        Write("other/.sops.yaml", $"creation_rules:\n  - path_regex: \\.yaml$\n    age: {_b.Recipient}\n");
        var inCwd = Write("work/sub/deeper/s.yaml", "s: 1\n");
        var elsewhere = Write("other/x/y/t.yaml", "t: 2\n");

        // Two levels below the config, a relative path, no --config.
        var r = RunIn(cwd, "encrypt", "-i", "s.yaml");
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains(_a.Recipient.ToString(), File.ReadAllText(inCwd), StringComparison.Ordinal);
        Assert.DoesNotContain(_b.Recipient.ToString(), File.ReadAllText(inCwd), StringComparison.Ordinal);

        // The working directory's config wins over the one next to the file.
        r = RunIn(cwd, "encrypt", "-i", elsewhere);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains(_a.Recipient.ToString(), File.ReadAllText(elsewhere), StringComparison.Ordinal);
        Assert.DoesNotContain(_b.Recipient.ToString(), File.ReadAllText(elsewhere), StringComparison.Ordinal);

        // With no config above the working directory, the search starts again from the file's folder.
        var second = Write("other/x/y/u.yaml", "u: 3\n");
        r = RunIn("/", "encrypt", "-i", second);
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains(_b.Recipient.ToString(), File.ReadAllText(second), StringComparison.Ordinal);
        Assert.DoesNotContain(_a.Recipient.ToString(), File.ReadAllText(second), StringComparison.Ordinal);
        Assert.Equal("u: 3\n", Run(KeyEnv(_b), "decrypt", second).Stdout);

        // And with no config anywhere there are no recipients: a usage error naming the file.
        var lone = Write("lone/v.yaml", "v: 4\n");
        r = RunIn("/", "encrypt", "-i", lone);
        Assert.Equal(2, r.Code);
        Assert.Contains("no --age was given and no .sops.yaml was found", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("v: 4\n", File.ReadAllText(lone));
    }

    [RequiresToolFact("ssh-keygen")]
    public void An_ssh_ed25519_key_opens_the_file_from_SOPS_AGE_SSH_PRIVATE_KEY_FILE_and_from_home_ssh()
    {
        var keyDir = Path.Combine(_dir, "keys");
        Directory.CreateDirectory(keyDir);
        var key = Path.Combine(keyDir, "deploy");
        var gen = ExternalTool.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "keyward-test", "-f", key]);
        Assert.True(gen.ExitCode == 0, gen.Stderr);
        var publicKey = File.ReadAllText(key + ".pub").Trim();
        Assert.StartsWith("ssh-ed25519 ", publicKey, StringComparison.Ordinal);
        var recipient = string.Join(' ', publicKey.Split(' ').Take(2));

        var path = Encrypted("ssh.yaml", "secret: hunter2-ssh\n", recipient);
        Assert.Contains("ssh-ed25519 ", File.ReadAllText(path), StringComparison.Ordinal);

        // No identity at all (HOME is the test folder, which has no .ssh): the error names the ssh recipient.
        var none = Run([], "decrypt", path);
        Assert.Equal(1, none.Code);
        Assert.Contains("ssh-ed25519", none.Stderr, StringComparison.Ordinal);

        var fromVariable = Run(new Dictionary<string, string> { ["SOPS_AGE_SSH_PRIVATE_KEY_FILE"] = key }, "decrypt", path);
        Assert.True(fromVariable.Code == 0, fromVariable.Stderr);
        Assert.Equal("secret: hunter2-ssh\n", fromVariable.Stdout);

        var home = Path.Combine(_dir, "home");
        Directory.CreateDirectory(Path.Combine(home, ".ssh"));
        File.Copy(key, Path.Combine(home, ".ssh", "id_ed25519"));
        var fromHome = Run(new Dictionary<string, string> { ["HOME"] = home }, "decrypt", path);
        Assert.True(fromHome.Code == 0, fromHome.Stderr);
        Assert.Equal("secret: hunter2-ssh\n", fromHome.Stdout);

        // As in sops, SOPS_AGE_SSH_PRIVATE_KEY_FILE replaces the ~/.ssh lookup: a missing file is an error, not a fallback.
        var missing = Run(new Dictionary<string, string> { ["HOME"] = home, ["SOPS_AGE_SSH_PRIVATE_KEY_FILE"] = Path.Combine(keyDir, "nope") }, "decrypt", path);
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
    }
}
