using System.Text;
using Keyward.Cli.Tests.Support;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Cli.Tests.Sealing;

public sealed class SealCliTests
{
    private static YamlMap Data(string yaml, int index = 0) =>
        (YamlMap)ManifestLoader.Load(yaml, "out.yaml").Documents[index].Root.Child("data")!;

    private static string Value(YamlMap data, string key) => Encoding.UTF8.GetString(Convert.FromBase64String(((YamlScalar)data[key]!).Value));

    [Fact]
    public void Seal_then_unseal_gives_back_every_value_and_the_template_metadata()
    {
        using var f = new SealingFixture();
        var sealedResult = CliRunner.Run(["seal", "--cert", f.CertPath, f.SecretPath]);
        Assert.Equal(0, sealedResult.ExitCode);
        Assert.Equal("", sealedResult.Stderr);
        Assert.DoesNotContain("hunter2", sealedResult.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain("aHVudGVyMg", sealedResult.StdoutText, StringComparison.Ordinal);
        Assert.StartsWith("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n", sealedResult.StdoutText, StringComparison.Ordinal);
        Assert.Contains("rotated: \"yes\"", sealedResult.StdoutText, StringComparison.Ordinal);

        File.WriteAllBytes(f.File("sealed.yaml"), sealedResult.Stdout);
        var unsealed = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("sealed.yaml")]);
        Assert.Equal(0, unsealed.ExitCode);
        var data = Data(unsealed.StdoutText);
        Assert.Equal("hunter2", Value(data, "password"));
        Assert.Equal("admin", Value(data, "user"));
        Assert.Equal("", Value(data, "empty"));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 255 }, Convert.FromBase64String(((YamlScalar)data["blob"]!).Value));
        var root = ManifestLoader.Load(unsealed.StdoutText, "x").Documents[0].Root;
        Assert.Equal("Secret", root.Scalar("kind"));
        Assert.Equal("yes", root.Child("metadata")!.Child("annotations")!.Scalar("rotated"));
        Assert.Equal("Opaque", root.Scalar("type"));
    }

    [Fact]
    public void Several_documents_from_stdin_are_sealed_and_json_output_is_a_List()
    {
        using var f = new SealingFixture();
        var input = SealingFixture.SecretYaml + "\n---\n" + SealingFixture.SecretYaml.Replace("name: db", "name: api", StringComparison.Ordinal);
        var yaml = CliRunner.Run(["seal", "--cert", f.CertPath], Encoding.UTF8.GetBytes(input));
        Assert.Equal(0, yaml.ExitCode);
        Assert.Equal(2, ManifestLoader.Load(yaml.StdoutText, "x").Documents.Count);

        var json = CliRunner.Run(["seal", "--cert", f.CertPath, "--format", "json", "-"], Encoding.UTF8.GetBytes(input));
        Assert.Equal(0, json.ExitCode);
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Equal("List", parsed.RootElement.GetProperty("kind").GetString());
        Assert.Equal("api", parsed.RootElement.GetProperty("items")[1].GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public void Json_Secret_as_kubectl_prints_it_is_sealed()
    {
        using var f = new SealingFixture();
        const string json = """
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "db", "namespace": "prod", "annotations": {"enabled": "true"}},
                "type": "Opaque",
                "data": {"password": "aHVudGVyMg=="}
            }
            """;
        File.WriteAllText(f.File("secret.json"), json);
        var sealedResult = CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.File("secret.json")]);
        Assert.Equal(0, sealedResult.ExitCode);
        Assert.Contains("enabled: \"true\"", File.ReadAllText(f.File("sealed.yaml")), StringComparison.Ordinal);
        var data = Data(CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("sealed.yaml")]).StdoutText);
        Assert.Equal("hunter2", Value(data, "password"));
    }

    [Fact]
    public void Flags_of_one_mode_are_refused_in_another()
    {
        using var f = new SealingFixture();
        var keyWithoutVerify = CliRunner.Run(["seal", "--cert", f.CertPath, "--key", f.KeyPath, f.SecretPath]);
        Assert.Equal(2, keyWithoutVerify.ExitCode);
        Assert.Contains("--key is only for --verify", keyWithoutVerify.Stderr, StringComparison.Ordinal);
        var rawWithFile = CliRunner.Run(["seal", "--raw", "--cert", f.CertPath, "--namespace", "prod", "--name", "db", f.SecretPath]);
        Assert.Equal(2, rawWithFile.ExitCode);
        Assert.Contains("--raw reads its value from stdin or --from-file", rawWithFile.Stderr, StringComparison.Ordinal);
        var unknown = CliRunner.Run(["seal", "--cert", f.CertPath, "--bogus"]);
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public void Output_files_are_written_and_unsealed_secrets_are_private()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["unseal", "--key", f.KeyPath, "-o", f.File("plain.yaml"), f.File("sealed.yaml")]).ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f.File("plain.yaml")));
        Assert.Equal("hunter2", Value(Data(File.ReadAllText(f.File("plain.yaml"))), "password"));
    }

    [Fact]
    public void Raw_seals_one_value_from_stdin_for_the_given_namespace_and_name()
    {
        using var f = new SealingFixture();
        var raw = CliRunner.Run(["seal", "--raw", "--cert", f.CertPath, "--namespace", "prod", "--name", "db"], "hunter2"u8.ToArray());
        Assert.Equal(0, raw.ExitCode);
        var value = raw.StdoutText.TrimEnd('\n');
        Assert.DoesNotContain('\n', value);
        var sealedYaml = $"apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {{name: db, namespace: prod}}\nspec:\n  encryptedData:\n    password: {value}\n";
        File.WriteAllText(f.File("hand.yaml"), sealedYaml);
        var unsealed = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("hand.yaml")]);
        Assert.Equal(0, unsealed.ExitCode);
        Assert.Equal("hunter2", Value(Data(unsealed.StdoutText), "password"));
    }

    [Fact]
    public void Raw_reads_from_file_and_needs_a_name_for_strict_scope()
    {
        using var f = new SealingFixture();
        File.WriteAllBytes(f.File("value.bin"), [0, 1, 2]);
        Assert.Equal(0, CliRunner.Run(["seal", "--raw", "--cert", f.CertPath, "--namespace", "prod", "--scope", "namespace-wide", "--from-file", f.File("value.bin")]).ExitCode);
        var missing = CliRunner.Run(["seal", "--raw", "--cert", f.CertPath, "--namespace", "prod"], "v"u8.ToArray());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("keyward: error: --raw: strict scope needs a name", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_into_adds_a_key_in_place_and_keeps_the_others()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        var before = ManifestLoader.Load(File.ReadAllText(f.File("sealed.yaml")), "x").Documents[0].Root.Child("spec")!.Child("encryptedData")!.Scalar("password");
        var update = "apiVersion: v1\nkind: Secret\nstringData:\n  token: t0ken\n";
        var merged = CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", f.File("sealed.yaml")], Encoding.UTF8.GetBytes(update));
        Assert.Equal(0, merged.ExitCode);
        Assert.Contains("1 added (token), 0 replaced", merged.Stderr, StringComparison.Ordinal);
        var after = ManifestLoader.Load(File.ReadAllText(f.File("sealed.yaml")), "x").Documents[0].Root.Child("spec")!.Child("encryptedData")!;
        Assert.Equal(before, after.Scalar("password"));
        var data = Data(CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("sealed.yaml")]).StdoutText);
        Assert.Equal("t0ken", Value(data, "token"));
        Assert.Equal("hunter2", Value(data, "password"));
    }

    [Fact]
    public void Verify_passes_for_good_values_and_names_every_key_that_does_not_open()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        var ok = CliRunner.Run(["seal", "--verify", "--key", f.KeyPath, f.File("sealed.yaml")]);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("4 keys open", ok.Stderr, StringComparison.Ordinal);

        File.WriteAllText(f.File("moved.yaml"), File.ReadAllText(f.File("sealed.yaml")).Replace("namespace: prod", "namespace: staging", StringComparison.Ordinal));
        var bad = CliRunner.Run(["seal", "--verify", "--key", f.KeyPath, f.File("moved.yaml")]);
        Assert.Equal(1, bad.ExitCode);
        foreach (var key in new[] { "password", "blob", "user", "empty" })
            Assert.Contains($"key \"{key}\": no key could decrypt it with strict scope (label \"staging/db\")", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: error: 4 of 4 sealed values do not open", bad.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", bad.Stderr, StringComparison.Ordinal);

        var unseal = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("moved.yaml")]);
        Assert.Equal(1, unseal.ExitCode);
        Assert.Equal("", unseal.StdoutText);
        Assert.Contains($"\"{f.File("moved.yaml")}\" line", unseal.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_certificate_warns_with_its_date_and_strict_cert_refuses_it()
    {
        var notAfter = new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero);
        using var f = new SealingFixture(notAfter);
        var now = new FixedTime(notAfter.AddDays(31));
        var warned = CliRunner.Run(["seal", "--cert", f.CertPath, f.SecretPath], time: now);
        Assert.Equal(0, warned.ExitCode);
        Assert.Contains("keyward: warning: certificate", warned.Stderr, StringComparison.Ordinal);
        Assert.Contains("expired on 2024-06-30 00:00:00Z (31 days ago)", warned.Stderr, StringComparison.Ordinal);

        var refused = CliRunner.Run(["seal", "--strict-cert", "--cert", f.CertPath, f.SecretPath], time: now);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.StdoutText);
        Assert.Contains("keyward: error: certificate", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Private_key_given_as_certificate_is_a_usage_error()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--cert", f.KeyPath, f.SecretPath]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected a CERTIFICATE PEM block, found RSA PRIVATE KEY", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_namespace_for_strict_scope_names_the_file_and_writes_nothing()
    {
        using var f = new SealingFixture();
        File.WriteAllText(f.File("nons.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n");
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("out.yaml"), f.File("nons.yaml")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"keyward: error: \"{f.File("nons.yaml")}\" line 1 column 1: Secret db: strict scope needs a namespace", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(f.File("out.yaml")));
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_cert_and_unknown_scope_are_usage_errors()
    {
        using var f = new SealingFixture();
        Assert.Contains("missing --cert", CliRunner.Run(["seal", f.SecretPath]).Stderr, StringComparison.Ordinal);
        var scope = CliRunner.Run(["seal", "--cert", f.CertPath, "--scope", "global", f.SecretPath]);
        Assert.Equal(2, scope.ExitCode);
        Assert.Contains("unknown scope \"global\"", scope.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
