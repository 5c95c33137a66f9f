using System.Text.RegularExpressions;
using Keyward.Audit.Credentials;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>PEM and OpenSSH private keys.</summary>
public sealed partial class PrivateKeyRule : CredentialRule
{
    private const string Body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBkZXZlbG9wZXJrZXlleGFtcGxlZm9ydGVzdGluZ29ubHkAAAAJZGV2ZWxv\n";

    public override string Id => "KW201";
    public override string Name => "private-key";
    public override string Title => "Private key committed";
    public override Severity Severity => Severity.Critical;
    public override string Why => "Anyone who can read the repository, or any clone or fork of it, holds the key and can sign, decrypt or log in as its owner.";
    public override string Fix => "Remove the key from the file and from Git history, revoke and replace it, and load it at run time from a secret store or a SOPS-encrypted file.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("private-key", "private key", PemBlock(), "-----begin") { MultiLine = true },
    ];

    [GeneratedRegex(@"(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----", RegexOptions.CultureInvariant)]
    private static partial Regex PemBlock();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("an OpenSSH key in a deploy script", "cat > id_ed25519 <<EOF\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + Body + "-----END OPENSSH PRIVATE KEY-----\nEOF\n", true, "deploy.sh"),
        new("an RSA key in a ConfigMap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tls\ndata:\n  key.pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n    " + Body.Replace("\n", "\n    ", StringComparison.Ordinal) + "-----END RSA PRIVATE KEY-----\n", true),
        new("a public certificate is fine", "-----BEGIN CERTIFICATE-----\n" + Body + "-----END CERTIFICATE-----\n", false, "ca.pem"),
        new("a header with no key material", "# keys start with -----BEGIN PRIVATE KEY----- and end with -----END PRIVATE KEY-----\n", false, "README.md"),
    ];
}

/// <summary>age secret keys: the key that opens every SOPS file encrypted to it.</summary>
public sealed partial class AgeSecretKeyRule : CredentialRule
{
    public override string Id => "KW202";
    public override string Name => "age-secret-key";
    public override string Title => "age secret key committed";
    public override Severity Severity => Severity.Critical;
    public override string Why => "An age identity decrypts every SOPS file and age file encrypted to its recipient: committing it turns all encrypted secrets of the repository into plaintext.";
    public override string Fix => "Remove the key from the repository and its history and generate a new identity. Move every SOPS file to it with a new data key (keyward rotate -i --add-age NEW --rm-age OLD FILE; updatekeys keeps the data key, which the leaked key still opens), rotate the secrets those files hold (their old versions stay in history), and install the new key only in the cluster (Flux's sops-age Secret, created out of band).";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("age-secret-key", "age secret key", SecretKey(), "age-secret-key-1"),
    ];

    [GeneratedRegex(@"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("an age.agekey file", "# created: 2024-05-01T10:00:00Z\n# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\nAGE-SECRET-KEY-10GH7YQ7SWV77EFWFCQY2ZNP37CMEUGHXZGLDSMN6CK6W4P325XD3J8Y779\n", true, "age.agekey"),
        new("a public recipient is fine", "creation_rules:\n  - age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n", false, ".sops.yaml"),
        new("a truncated key is not a key", "AGE-SECRET-KEY-1GFPYYSJQJVU5PXQK2DQ7\n", false, "notes.txt"),
    ];
}
