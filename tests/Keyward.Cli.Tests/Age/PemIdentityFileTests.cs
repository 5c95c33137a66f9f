using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Age;

/// <summary>
/// <c>age decrypt -i FILE</c> with a PEM block that is not an identity (a certificate, a public key, a PGP key, an SSH
/// key whose BEGIN line was cut): only <c>-----BEGIN AGE ENCRYPTED FILE-----</c> is a passphrase-encrypted identity
/// file, so there is no passphrase prompt; the identity file is named and refused as an input error, as
/// <c>keyward decrypt --identity</c> refuses it.
/// </summary>
public sealed class PemIdentityFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Files() => new()
    {
        { "cert.pem", "a PEM CERTIFICATE block, not an age identity" },
        { "pub.pem", "a PEM PUBLIC KEY block, not an age identity" },
        { "key.asc", "a PEM PGP PUBLIC KEY BLOCK, not an age identity" },
        { "damaged-ssh", "line 1: not an age identity" },
    };

    private string Write(string name)
    {
        using var rsa = RSA.Create(2048);
        var text = name switch
        {
            "cert.pem" => new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)).ExportCertificatePem(),
            "pub.pem" => rsa.ExportSubjectPublicKeyInfoPem(),
            "key.asc" => "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGN=\n-----END PGP PUBLIC KEY BLOCK-----\n",
            _ => "-----BEGIN OPENSSH PRIVATE KEY--\n",
        };
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string EncryptedFile()
    {
        var key = _dir.File("key.txt");
        Assert.Equal(0, CliRunner.Run(["age", "keygen", "-o", key]).ExitCode);
        var file = _dir.File("f.age");
        Assert.Equal(0, CliRunner.Run(["age", "encrypt", "-i", key, "-o", file], "data"u8.ToArray()).ExitCode);
        return file;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_pem_file_that_is_not_an_identity_is_refused_without_a_passphrase_prompt(string name, string what)
    {
        var identity = Write(name);
        var file = EncryptedFile();
        var prompts = new List<string>();
        var r = CliRunner.Run(["age", "decrypt", "-i", identity, file], readSecret: prompt =>
        {
            prompts.Add(prompt);
            return "pw";
        });
        Assert.Empty(prompts);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"keyward: error: \"{identity}\"{(what.StartsWith("line", StringComparison.Ordinal) ? " " : ": ")}{what}\n", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("passphrase for", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(r.Stdout);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void With_a_passphrase_file_the_error_names_the_identity_file_not_the_armor(string name, string what)
    {
        var identity = Write(name);
        var file = EncryptedFile();
        File.WriteAllText(_dir.File("pw"), "pw\n");
        var r = CliRunner.Run(["age", "decrypt", "-i", identity, "--passphrase-file", _dir.File("pw"), file]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(what, r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"\"{identity}\"", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("armor", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyward_decrypt_identity_words_a_certificate_the_same_way()
    {
        var identity = Write("cert.pem");
        var r = CliRunner.Run(["decrypt", "--identity", identity, _dir.File("any.yaml")], environment: n => n == "HOME" ? _dir.Path : null);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--identity \"{identity}\": a PEM CERTIFICATE block, not an age identity", r.Stderr, StringComparison.Ordinal);
    }
}
