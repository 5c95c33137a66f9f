using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Sealing;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Storage;

namespace Keyward.Cli.Tests.Core;

/// <summary>
/// A YAML or JSON error names the file, line and column and what is wrong, never the text it stopped at: in a Secret,
/// that text is the value. A password written without quotes and starting with * reads as an alias, and its name is
/// the password.
/// </summary>
public sealed class ParseErrorSecrecyTests : IDisposable
{
    private const string Password = "*LEAKMARKERpw9";
    private const string Marker = "LEAKMARKERpw9";

    private readonly TempDir _dir = new();
    private readonly X25519Identity _key = X25519Identity.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private CliRunner.Result Run(byte[]? stdin, params string[] args) =>
        CliRunner.Run(args, stdin, environment: name => name switch
        {
            "SOPS_AGE_KEY" => _key.ExportSecretKey(),
            "HOME" => _dir.Path,
            _ => null,
        });

    private static void NamesThePlaceNotTheValue(CliRunner.Result result, string place)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain(Marker, result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(place, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("quote the value", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_names_the_place_of_an_unquoted_value_read_as_an_alias_and_not_the_value()
    {
        using var f = new SealingFixture();
        var input = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  password: {Password}\n";
        File.WriteAllText(f.File("s.yaml"), input);
        NamesThePlaceNotTheValue(CliRunner.Run(["seal", "--cert", f.CertPath, f.File("s.yaml")]), "line 7 column 13");
    }

    [Theory]
    [InlineData("encrypt")]
    [InlineData("encrypt-json-like-yaml")]
    public void Encrypt_names_the_place_of_an_unquoted_value_read_as_an_alias_and_not_the_value(string how)
    {
        var path = _dir.File("p.yaml");
        File.WriteAllText(path, how == "encrypt" ? $"user: app\npassword: {Password}\n" : $"user: app\nnested:\n  password: {Password}\n");
        var result = Run(null, "encrypt", "--age", _key.Recipient.ToString(), path);
        NamesThePlaceNotTheValue(result, how == "encrypt" ? "line 2 column 11" : "line 3 column 13");
    }

    [Fact]
    public void Edit_names_the_place_of_an_unquoted_value_read_as_an_alias_and_not_the_value()
    {
        var path = _dir.File("e.yaml");
        File.WriteAllText(path, "password: one\n");
        Assert.Equal(0, Run(null, "encrypt", "-i", "--age", _key.Recipient.ToString(), path).ExitCode);
        var editor = _dir.File("ed.sh");
        File.WriteAllText(editor, $"#!/bin/sh\nprintf 'password: {Password}\\n' > \"$1\"\n");
        var result = CliRunner.Run(["edit", path], environment: name => name switch
        {
            "SOPS_AGE_KEY" => _key.ExportSecretKey(),
            "EDITOR" => "sh " + editor,
            _ => null,
        });
        NamesThePlaceNotTheValue(result, "line 1 column 11");
    }

    [Fact]
    public void Set_with_a_yaml_value_read_as_an_alias_does_not_show_it()
    {
        var path = _dir.File("s.yaml");
        File.WriteAllText(path, "password: one\n");
        Assert.Equal(0, Run(null, "encrypt", "-i", "--age", _key.Recipient.ToString(), path).ExitCode);
        var result = Run(Encoding.UTF8.GetBytes(Password), "set", path, "[\"password\"]", "--value-stdin");
        Assert.DoesNotContain(Marker, result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_ovh_credentials_secret_names_the_place_of_a_broken_value_and_not_the_value()
    {
        var text = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh\nstringData:\n  consumerKey: {Password}\n";
        var e = Assert.Throws<Keyward.Core.KeywardException>(() => OvhSecretManifest.Read(text, "ovh.yaml"));
        Assert.DoesNotContain(Marker, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"ovh.yaml\" line 6 column 16", e.Message, StringComparison.Ordinal);
        Assert.Contains("quote the value", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Other input the YAML reader quotes in its messages: tags, anchors, duplicate keys in flow mappings.</summary>
    [Theory]
    [InlineData("password: !LEAKMARKERpw9 x\n")]
    [InlineData("password: !LEAKMARKERpw9!x y\n")]
    [InlineData("password: &LEAKMARKERpw9 &x y\n")]
    [InlineData("password: \"LEAKMARKERpw9\\q\"\n")]
    [InlineData("password: 'LEAKMARKERpw9\n")]
    [InlineData("password: \"LEAKMARKERpw9\n")]
    [InlineData("password: *LEAKMARKERpw9]\n")]
    [InlineData("password: LEAKMARKERpw9\n\tx: y\n")]
    [InlineData("password: `LEAKMARKERpw9\n")]
    [InlineData("password: @LEAKMARKERpw9\n")]
    public void Other_yaml_errors_do_not_quote_the_input(string body)
    {
        using var f = new SealingFixture();
        var input = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  " + body.Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd(' ');
        File.WriteAllText(f.File("s.yaml"), input);
        var seal = CliRunner.Run(["seal", "--cert", f.CertPath, f.File("s.yaml")]);
        Assert.DoesNotContain(Marker, seal.Stderr, StringComparison.OrdinalIgnoreCase);

        var path = _dir.File("p.yaml");
        File.WriteAllText(path, body);
        var encrypt = Run(null, "encrypt", "--age", _key.Recipient.ToString(), path);
        Assert.DoesNotContain(Marker, encrypt.Stderr, StringComparison.OrdinalIgnoreCase);

        var audit = CliRunner.Run(["audit", "--fail-on", "none", "--format", "json", f.File("s.yaml")]);
        Assert.DoesNotContain(Marker, audit.StdoutText + audit.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Debug_output_of_a_value_that_is_not_json_does_not_show_it()
    {
        var path = _dir.File("enc.yaml");
        File.WriteAllText(path, "password: x\n");
        Assert.Equal(0, Run(null, "encrypt", "-i", "--age", _key.Recipient.ToString(), path).ExitCode);
        var result = Run(Encoding.UTF8.GetBytes("tLEAKMARKERpw9"), "set", path, "[\"password\"]", "--value-stdin", "--debug");
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain(Marker, result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("JsonReaderException", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
