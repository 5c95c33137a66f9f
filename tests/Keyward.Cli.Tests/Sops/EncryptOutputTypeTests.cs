using System.Text;
using System.Text.Json;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// <c>encrypt --output-type</c> writes the store it names, as sops does (the tree is the same, so is the MAC); it was
/// ignored, and a file named .json held YAML that decrypt then refused.
/// </summary>
public sealed class EncryptOutputTypeTests : KeyedSopsTest
{
    private const string Yaml = "# the database\ndb:\n    user: shop\n    password: Zq9vL2mXw8RtY4bN\n    port: 5432\n";

    [Fact]
    public void Yaml_encrypted_as_json_is_a_sops_json_document_that_decrypts_to_the_same_values()
    {
        var input = Dir.File("db.yaml");
        File.WriteAllText(input, Yaml);
        var output = Dir.File("db.enc.json");
        var enc = Run("encrypt", "--age", Recipient, "--output-type", "json", "--output", output, input);
        Assert.True(enc.ExitCode == 0, enc.Stderr);

        using (var json = JsonDocument.Parse(File.ReadAllText(output)))
        {
            Assert.StartsWith("ENC[AES256_GCM,", json.RootElement.GetProperty("db").GetProperty("password").GetString(), StringComparison.Ordinal);
            Assert.Equal(Recipient, json.RootElement.GetProperty("sops").GetProperty("age")[0].GetProperty("recipient").GetString());
        }
        var dec = Run("decrypt", output);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        using var plain = JsonDocument.Parse(dec.Stdout);
        Assert.Equal("Zq9vL2mXw8RtY4bN", plain.RootElement.GetProperty("db").GetProperty("password").GetString());
        Assert.Equal(5432, plain.RootElement.GetProperty("db").GetProperty("port").GetInt32());
    }

    [RequiresToolFact("python3")]
    public void The_reference_decryptor_checks_the_mac_of_a_converted_file()
    {
        var input = Dir.File("db.yaml");
        File.WriteAllText(input, Yaml);
        var enc = Run("encrypt", "--age", Recipient, "--output-type", "json", input);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        var encrypted = Dir.File("db.enc.json");
        File.WriteAllBytes(encrypted, enc.Stdout);
        var keys = Dir.File("keys.txt");
        File.WriteAllText(keys, Key.ExportSecretKey() + "\n");
        var reference = ExternalTool.Run("python3", [SharedMaterial.Path("conformance", "sops", "tools", "sops_ref.py"), "--store", "json", "--age-keys", keys, encrypted]);
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        using var report = JsonDocument.Parse(reference.Stdout);
        Assert.True(report.RootElement.GetProperty("mac_ok").GetBoolean());
    }

    [Fact]
    public void Json_encrypted_as_yaml_is_yaml_and_the_input_type_is_kept_without_the_option()
    {
        var input = Dir.File("db.json");
        File.WriteAllText(input, "{\"db\": {\"password\": \"Zq9vL2mXw8RtY4bN\"}}\n");
        var asYaml = Run("encrypt", "--age", Recipient, "--output-type", "yaml", input);
        Assert.True(asYaml.ExitCode == 0, asYaml.Stderr);
        Assert.StartsWith("db:\n", asYaml.StdoutText, StringComparison.Ordinal);
        Assert.Contains("\nsops:\n", asYaml.StdoutText, StringComparison.Ordinal);

        var asJson = Run("encrypt", "--age", Recipient, input);
        Assert.True(asJson.ExitCode == 0, asJson.Stderr);
        Assert.StartsWith("{", asJson.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_the_output_type_cannot_hold_is_refused_and_nothing_is_written()
    {
        var input = Dir.File("db.yaml");
        File.WriteAllText(input, Yaml);
        var output = Dir.File("db.env");
        var enc = Run("encrypt", "--age", Recipient, "--output-type", "dotenv", "--output", output, input);
        Assert.Equal(2, enc.ExitCode);
        Assert.Contains("keyward: error:", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint:", enc.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq9vL2mXw8RtY4bN", enc.Stderr + Encoding.UTF8.GetString(enc.Stdout), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
