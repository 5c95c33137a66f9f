using Keyward.Cli.Tests.Support;
using Keyward.Sealing.Tests;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>seal --cert takes a file:// or http(s):// URL as kubeseal does; plain http is warned about.</summary>
public sealed class SealCertificateUrlTests
{
    [Fact]
    public void A_file_URL_seals_like_the_file()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--cert", new Uri(f.CertPath).AbsoluteUri, f.SecretPath]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Contains("kind: SealedSecret", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_URL_is_fetched_with_a_warning_that_it_was_not_protected()
    {
        using var f = new SealingFixture();
        using var server = new LoopbackCertificateServer(File.ReadAllText(f.CertPath));
        var result = CliRunner.Run(["seal", "--cert", server.Url("/v1/cert.pem"), "-o", f.File("sealed.yaml"), f.SecretPath]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("keyward: warning: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("https", result.Stderr, StringComparison.Ordinal);
        var unsealed = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("sealed.yaml")]);
        Assert.Equal(0, unsealed.ExitCode);
        Assert.Contains("password: aHVudGVyMg==", unsealed.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_URL_that_fails_is_an_error_naming_it_and_nothing_is_written()
    {
        using var f = new SealingFixture();
        using var server = new LoopbackCertificateServer("");
        var result = CliRunner.Run(["seal", "--cert", server.Url("/nope.pem"), "-o", f.File("sealed.yaml"), f.SecretPath]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"keyward: error: cannot fetch the certificate from \"{server.Url("/nope.pem")}\"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(f.File("sealed.yaml")));
    }

    [Fact]
    public void Credentials_in_the_URL_are_warned_about_and_never_shown()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--cert", "https://ghp_LEAKMARKER1@127.0.0.1:9/v1/cert.pem", f.SecretPath]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("KEYWARD_CERT_AUTH", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"https://***@127.0.0.1:9/v1/cert.pem\"", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("LEAKMARKER", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_from_KEYWARD_CERT_AUTH_are_sent_without_a_warning_about_them()
    {
        using var f = new SealingFixture();
        using var server = new LoopbackCertificateServer(File.ReadAllText(f.CertPath))
        {
            RequiredAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("deploy:S3cret")),
        };
        var result = CliRunner.Run(["seal", "--cert", server.Url("/v1/cert.pem"), f.SecretPath],
            environment: name => name == "KEYWARD_CERT_AUTH" ? "deploy:S3cret" : null);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.DoesNotContain("KEYWARD_CERT_AUTH", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", result.Stderr, StringComparison.Ordinal);
    }
}
