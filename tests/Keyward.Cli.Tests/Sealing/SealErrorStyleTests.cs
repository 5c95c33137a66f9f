using System.Text;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>Every seal error says what to do next, blames the right argument, and its words fit the case.</summary>
public sealed class SealErrorStyleTests
{
    private const string Hint = "keyward: hint: ";

    private static void UsageErrorWithHint(CliRunner.Result result)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("keyward: error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Hint, result.Stderr, StringComparison.Ordinal);
    }

    private static string HintOf(CliRunner.Result result) =>
        result.Stderr.Split('\n').Single(l => l.StartsWith(Hint, StringComparison.Ordinal))[Hint.Length..];

    [Fact]
    public void Merge_into_with_an_output_says_to_drop_it()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", f.File("sealed.yaml"), "-o", f.File("x.yaml"), f.SecretPath]);
        UsageErrorWithHint(result);
        Assert.Contains("-o", HintOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_into_a_file_of_two_objects_has_a_hint()
    {
        using var f = new SealingFixture();
        var input = SealingFixture.SecretYaml + "\n---\n" + SealingFixture.SecretYaml.Replace("name: db", "name: api", StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("two.yaml")], Encoding.UTF8.GetBytes(input)).ExitCode);
        UsageErrorWithHint(CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", f.File("two.yaml"), f.SecretPath]));
    }

    [Fact]
    public void Merge_into_with_two_secrets_in_the_input_has_a_hint()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        var input = SealingFixture.SecretYaml + "\n---\n" + SealingFixture.SecretYaml;
        UsageErrorWithHint(CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", f.File("sealed.yaml")], Encoding.UTF8.GetBytes(input)));
    }

    [Fact]
    public void A_utf16_secret_with_its_byte_order_mark_is_sealed_not_called_binary()
    {
        using var f = new SealingFixture();
        var input = f.File("secret-utf16.yaml");
        File.WriteAllText(input, SealingFixture.SecretYaml, new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), input]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("kind: SealedSecret", File.ReadAllText(f.File("sealed.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_a_string_is_refused_not_dropped()
    {
        // kubectl refuses the file; sealing it without the entry would lose a key without a word.
        using var f = new SealingFixture();
        var input = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  ? [a, b]\n  : v1\n  password: Sup3rS3cretPassw0rd\n";
        var output = f.File("sealed.yaml");
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-o", output], Encoding.UTF8.GetBytes(input));
        UsageErrorWithHint(result);
        Assert.Contains("line 7 column 5", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void An_invalid_secret_key_has_a_hint()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--cert", f.CertPath], "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\nstringData: {\"a/b\": x}\n"u8.ToArray());
        UsageErrorWithHint(result);
        Assert.Contains("\"a/b\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_given_a_secret_has_a_hint()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--verify", "--key", f.KeyPath, f.SecretPath]);
        UsageErrorWithHint(result);
        Assert.Contains("SealedSecret", HintOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_before_the_file_is_blamed_not_the_file()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "--bogus", f.SecretPath]);
        UsageErrorWithHint(result);
        Assert.Contains("\"--bogus\"", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret.yaml", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_without_a_name_speaks_of_the_name_option_not_metadata()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--raw", "--cert", f.CertPath, "-n", "prod"], "x"u8.ToArray());
        UsageErrorWithHint(result);
        Assert.Contains("--name", HintOf(result), StringComparison.Ordinal);
        Assert.DoesNotContain("metadata", HintOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_mismatch_with_a_namespace_wide_target_does_not_speak_of_strict_scope()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "--scope", "namespace-wide", "-o", f.File("nw.yaml"), f.SecretPath]).ExitCode);
        var other = SealingFixture.SecretYaml.Replace("name: db", "name: other", StringComparison.Ordinal);
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", f.File("nw.yaml")], Encoding.UTF8.GetBytes(other));
        UsageErrorWithHint(result);
        Assert.DoesNotContain("strict", HintOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_not_yet_valid_does_not_say_the_controller_lost_its_key()
    {
        using var f = new SealingFixture(notAfter: DateTimeOffset.UtcNow.AddYears(20));
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, f.SecretPath]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("not valid before", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("no longer have its key", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stringData")]
    [InlineData("data")]
    public void A_secret_whose_values_are_not_a_map_has_a_hint(string field)
    {
        using var f = new SealingFixture();
        var secret = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\n{field}:\n  password\n";
        var result = CliRunner.Run(["seal", "--cert", f.CertPath], Encoding.UTF8.GetBytes(secret));
        UsageErrorWithHint(result);
        Assert.Contains($"line 7 column 3: Secret db: {field} must be a map", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"write {field} as KEY: ", HintOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_whose_date_is_no_time_is_an_input_error_naming_it_not_an_internal_one()
    {
        using var f = new SealingFixture();
        var pem = File.ReadAllText(f.CertPath);
        var der = Convert.FromBase64String(pem[System.Security.Cryptography.PemEncoding.Find(pem).Base64Data]);
        der[der.AsSpan().IndexOf([(byte)0x17, (byte)0x0D]) + 3] = 0x8E; // a digit of notBefore's year: openssl's "Bad time value"
        File.WriteAllText(f.CertPath, new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)));
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("out.yaml"), f.SecretPath]);
        UsageErrorWithHint(result);
        Assert.Contains($"keyward: error: \"{f.CertPath}\": the certificate does not parse", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("kubeseal --fetch-cert", HintOf(result), StringComparison.Ordinal);
        Assert.False(File.Exists(f.File("out.yaml")));
    }

    [Fact]
    public void An_expired_certificate_still_warns_that_the_controller_may_have_dropped_its_key()
    {
        using var f = new SealingFixture(notAfter: DateTimeOffset.UtcNow.AddDays(-3));
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, f.SecretPath]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no longer have its key", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster-wide")]
    [InlineData("namespace-wide")]
    public void A_secret_without_a_name_is_an_error_in_every_scope(string scope)
    {
        using var f = new SealingFixture();
        var noName = "apiVersion: v1\nkind: Secret\nmetadata: {namespace: prod}\nstringData: {a: b}\n";
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "--scope", scope], Encoding.UTF8.GetBytes(noName));
        UsageErrorWithHint(result);
        Assert.Equal("", result.StdoutText);
        Assert.Contains("--name", HintOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_refuses_a_secret_of_another_type_with_a_hint()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        var before = File.ReadAllText(f.File("sealed.yaml"));
        var update = "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/basic-auth\nstringData:\n  k3: v3\n";
        UsageErrorWithHint(CliRunner.Run(["seal", "--cert", f.CertPath, "--merge-into", f.File("sealed.yaml")], Encoding.UTF8.GetBytes(update)));
        Assert.Equal(before, File.ReadAllText(f.File("sealed.yaml")));
    }
}
