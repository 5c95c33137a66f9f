using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>The sops commands end to end, in process: Kubernetes default, in-place atomic writes, one-value diffs.</summary>
public sealed class SopsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-sops-cli").FullName;
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private readonly string _keyFile;

    public SopsCliTests()
    {
        _keyFile = Path.Combine(_dir, "identity.agekey");
        File.WriteAllText(_keyFile, "# created: test\n" + _identity.ExportSecretKey() + "\n");
    }

    public void Dispose()
    {
        _identity.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var r = CliRunner.Run(args, environment: name => name == "SOPS_AGE_KEY_FILE" ? _keyFile : name == "HOME" ? _dir : null);
        return (r.ExitCode, r.StdoutText, r.Stderr);
    }

    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n  user: admin\n";

    [Fact]
    public void A_Kubernetes_Secret_keeps_its_manifest_fields_readable_and_decrypts_back()
    {
        var path = Path.Combine(_dir, "secret.yaml");
        File.WriteAllText(path, Secret);
        var enc = Run("encrypt", "--age", _identity.Recipient.ToString(), "-i", path);
        Assert.Equal(0, enc.Code);
        Assert.Contains("encrypted_regex", enc.Stderr, StringComparison.Ordinal);
        var text = File.ReadAllText(path);
        Assert.Contains("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Matches(@"\n  mac: ENC\[AES256_GCM,data:[^,]+,", text);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", text, StringComparison.Ordinal);
        var dec = Run("decrypt", path);
        Assert.Equal(0, dec.Code);
        Assert.Equal(Secret, dec.Stdout);
        var one = Run("decrypt", "--extract", "[\"stringData\"][\"password\"]", path);
        Assert.Equal("hunter2", one.Stdout);
    }

    [Fact]
    public void Set_changes_one_value_line_plus_the_MAC_and_lastmodified()
    {
        var path = Path.Combine(_dir, "app.yaml");
        File.WriteAllText(path, "a: one\nb: two\nc:\n  d: three\n");
        Assert.Equal(0, Run("encrypt", "--age", _identity.Recipient.ToString(), "-i", path).Code);
        var before = File.ReadAllLines(path);
        File.WriteAllText(Path.Combine(_dir, "value.json"), "\"TWO\"");
        var set = Run("set", "--value-file", Path.Combine(_dir, "value.json"), path, "[\"b\"]");
        Assert.True(set.Code == 0, set.Stderr);
        var after = File.ReadAllLines(path);
        Assert.Equal(before.Length, after.Length);
        var changed = before.Zip(after).Where(p => p.First != p.Second).Select(p => p.Second.Trim().Split(':')[0]).ToList();
        Assert.Contains("b", changed);
        Assert.All(changed, k => Assert.Contains(k, new[] { "b", "lastmodified", "mac" }));
        Assert.Equal("a: one\nb: TWO\nc:\n  d: three\n", Run("decrypt", path).Stdout);
        Assert.Equal(0, Run("unset", path, "[\"c\"]").Code);
        Assert.Equal("a: one\nb: TWO\n", Run("decrypt", path).Stdout);
    }

    [Fact]
    public void Tampering_and_wrong_keys_fail_with_the_file_named()
    {
        var path = Path.Combine(_dir, "t.yaml");
        File.WriteAllText(path, "kind: Config\nkey: value\n");
        Assert.Equal(0, Run("encrypt", "--encrypted-regex", "^key$", "--age", _identity.Recipient.ToString(), "-i", path).Code);
        var original = File.ReadAllText(path);
        File.WriteAllText(path, original.Replace("kind: Config", "kind: Other", StringComparison.Ordinal));
        var r = Run("decrypt", path);
        Assert.Equal(1, r.Code);
        Assert.Contains("MAC mismatch", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Run("decrypt", "--ignore-mac", path).Code);
        var renamed = Path.Combine(_dir, "r.yaml");
        File.WriteAllText(renamed, "key: value\n");
        Assert.Equal(0, Run("encrypt", "--age", _identity.Recipient.ToString(), "-i", renamed).Code);
        File.WriteAllText(renamed, File.ReadAllText(renamed).Replace("key: ENC", "kee: ENC", StringComparison.Ordinal));
        r = Run("decrypt", "--ignore-mac", renamed);
        Assert.Equal(1, r.Code);
        Assert.Contains("[\"kee\"]", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not authenticate", r.Stderr, StringComparison.Ordinal);
    }
}
