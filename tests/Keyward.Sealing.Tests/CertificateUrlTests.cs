using Keyward.Core;

namespace Keyward.Sealing.Tests;

/// <summary>
/// --cert takes what kubeseal's does (openCertLocal, openCertURI): a file name, a file:// URL or an http(s) URL,
/// fetched from a loopback server here.
/// </summary>
public sealed class CertificateUrlTests
{
    [Fact]
    public void A_file_URL_is_read_as_the_file_it_names()
    {
        var dir = Directory.CreateTempSubdirectory("keyward-cert-url-");
        try
        {
            var path = Path.Combine(dir.FullName, "my cert.pem");
            File.WriteAllText(path, TestKeys.CertificatePem());
            var url = new Uri(path).AbsoluteUri;
            Assert.Contains("my%20cert.pem", url, StringComparison.Ordinal);
            var certificate = SealingCertificate.Load(url);
            Assert.Equal(TestKeys.Certificate().PublicKey.Modulus, certificate.PublicKey.Modulus);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_file_URL_to_a_missing_file_names_the_URL()
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load("file:///nonexistent/cert.pem"));
        Assert.Contains("\"file:///nonexistent/cert.pem\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_URL_is_fetched_and_parsed()
    {
        using var server = new LoopbackCertificateServer(TestKeys.CertificatePem());
        var certificate = SealingCertificate.Load(server.Url("/v1/cert.pem"));
        Assert.Equal(TestKeys.Certificate().PublicKey.Modulus, certificate.PublicKey.Modulus);
        Assert.Equal($"\"{server.Url("/v1/cert.pem")}\"", certificate.Source);
    }

    [Fact]
    public void A_URL_s_user_and_password_are_sent_as_basic_auth_and_the_password_is_never_shown()
    {
        // As kubeseal's Go client does with http://user:password@host/...; the password is masked wherever the URL is named.
        using var server = new LoopbackCertificateServer(TestKeys.CertificatePem())
        {
            RequiredAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("deploy:S3cret pw")),
        };
        var url = $"http://deploy:S3cret%20pw@127.0.0.1:{server.Port}/v1/cert.pem";
        var certificate = SealingCertificate.Load(url);
        Assert.Equal($"\"http://***@127.0.0.1:{server.Port}/v1/cert.pem\"", certificate.Source);

        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(url.Replace("S3cret", "Wrong", StringComparison.Ordinal)));
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("//***@", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong", error.Message + error.Hint, StringComparison.Ordinal);
        Assert.Equal($"http://***@127.0.0.1:{server.Port}/", CertificateSource.Display($"http://deploy:S3cret@127.0.0.1:{server.Port}/"));
        Assert.Equal("cert.pem", CertificateSource.Display("cert.pem"));
    }

    [Fact]
    public void An_http_answer_other_than_200_is_an_error_naming_the_URL_and_the_status()
    {
        using var server = new LoopbackCertificateServer(TestKeys.CertificatePem());
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(server.Url("/missing.pem")));
        Assert.Contains(server.Url("/missing.pem"), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Failed, error.Kind);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void A_server_that_does_not_answer_in_time_is_an_error_naming_the_URL()
    {
        using var server = new LoopbackCertificateServer(TestKeys.CertificatePem()) { SlowDelay = TimeSpan.FromSeconds(30) };
        var started = DateTime.UtcNow;
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(server.Url("/slow"), TimeSpan.FromMilliseconds(300)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Contains(server.Url("/slow"), error.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_server_is_an_error_naming_the_URL()
    {
        int port;
        using (var probe = new LoopbackCertificateServer(""))
            port = probe.Port;
        var url = $"http://127.0.0.1:{port}/v1/cert.pem";
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(url, TimeSpan.FromSeconds(5)));
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Failed, error.Kind);
    }

    [Fact]
    public void What_the_server_sends_is_checked_like_a_file()
    {
        using var server = new LoopbackCertificateServer(TestKeys.PrivateKeyPem);
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(server.Url("/v1/cert.pem")));
        Assert.Contains($"\"{server.Url("/v1/cert.pem")}\": expected a CERTIFICATE PEM block", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/cert.pem")]
    [InlineData("s3://bucket/cert.pem")]
    public void Other_URL_schemes_are_refused_as_URLs(string url)
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(url));
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Contains("http", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_URL_on_another_host_is_refused()
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load("file://server/share/cert.pem"));
        Assert.Contains("server", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The whole user information is hidden, whatever it holds: a token as the user, a password with @ or /.</summary>
    [Theory]
    [InlineData("https://ghp_LEAKMARKER1@127.0.0.1:9/v1/cert.pem", "https://***@127.0.0.1:9/v1/cert.pem")]
    [InlineData("https://oauth2:glpat-LEAKMARKER@gitlab.example/cert.pem", "https://***@gitlab.example/cert.pem")]
    [InlineData("https://user:p@LEAKMARKER2@127.0.0.1:9/v1/cert.pem", "https://***@127.0.0.1:9/v1/cert.pem")]
    [InlineData("https://user:pa/LEAKMARKER3@127.0.0.1:9/v1/cert.pem", "https://***@127.0.0.1:9/v1/cert.pem")]
    [InlineData("https://user:pa#LEAK?MARKER@127.0.0.1:9/v1/cert.pem", "https://***@127.0.0.1:9/v1/cert.pem")]
    [InlineData("file://user:LEAKMARKER4@otherhost/cert.pem", "file://***@otherhost/cert.pem")]
    [InlineData("https://127.0.0.1:9/v1/cert.pem", "https://127.0.0.1:9/v1/cert.pem")]
    [InlineData("./a@b/cert.pem", "./a@b/cert.pem")]
    public void Display_hides_the_whole_user_information(string url, string shown)
    {
        Assert.Equal(shown, CertificateSource.Display(url));
        Assert.Equal(url != shown, CertificateSource.HasCredentials(url));
    }

    [Theory]
    [InlineData("https://ghp_LEAKMARKER1@127.0.0.1:9/v1/cert.pem")]
    [InlineData("https://user:p@LEAKMARKER2@127.0.0.1:9/v1/cert.pem")]
    [InlineData("https://user:pa/LEAKMARKER3@127.0.0.1:9/v1/cert.pem")]
    [InlineData("file://user:LEAKMARKER4@otherhost/cert.pem")]
    [InlineData("file://user:LEAKMARKER4@/nonexistent/cert.pem")]
    [InlineData("file://user:LEAK MARKER4@[bad/cert.pem")]
    public void No_error_about_a_URL_shows_its_credentials(string url)
    {
        var error = Assert.Throws<KeywardException>(() => SealingCertificate.Load(url, TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain("LEAK", error.Message + error.Hint + error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tok%40en@", "tok@en:")]
    [InlineData("deploy:p@ss@", "deploy:p@ss")]
    [InlineData("deploy:p%2Fss@", "deploy:p/ss")]
    public void User_information_is_sent_as_basic_auth_split_at_its_last_at(string userInfo, string sent)
    {
        using var server = new LoopbackCertificateServer(TestKeys.CertificatePem())
        {
            RequiredAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(sent)),
        };
        var certificate = SealingCertificate.Load($"http://{userInfo}127.0.0.1:{server.Port}/v1/cert.pem");
        Assert.Equal($"\"http://***@127.0.0.1:{server.Port}/v1/cert.pem\"", certificate.Source);
    }

    [Theory]
    [InlineData("deploy:S3cret pw", "deploy:S3cret pw")]
    [InlineData("ghp_token", "ghp_token:")]
    public void Credentials_given_apart_from_the_URL_are_sent_as_basic_auth(string auth, string sent)
    {
        using var server = new LoopbackCertificateServer(TestKeys.CertificatePem())
        {
            RequiredAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(sent)),
        };
        var certificate = SealingCertificate.Load(server.Url("/v1/cert.pem"), auth: auth);
        Assert.Equal(TestKeys.Certificate().PublicKey.Modulus, certificate.PublicKey.Modulus);
        Assert.Throws<KeywardException>(() => SealingCertificate.Load(server.Url("/v1/cert.pem")));
    }
}
