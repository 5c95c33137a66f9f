using System.Reflection;
using System.Text.RegularExpressions;
using Keyward.Audit.Credentials;
using static Keyward.Audit.Credentials.CredentialPattern;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>
/// Assignments of high-entropy values to names like key, token, secret or password. The most false-positive prone
/// rule: a value must contain a digit, clear an entropy of 3.5 bits per character, and contain none of ~1,400
/// stop-words (after gitleaks' generic-api-key).
/// </summary>
public sealed partial class GenericApiKeyRule : CredentialRule
{
    public override string Id => "KW211";
    public override string Name => "generic-api-key";
    public override string Title => "API key, token or password hard-coded";
    public override Severity Severity => Severity.High;
    public override string Why => "Hard-coded credentials end up in every clone, fork, CI log and container image built from the repository, and cannot be rotated without a commit.";
    public override string Fix => "Move the value to a Secret that is SOPS-encrypted or sealed, reference it with secretKeyRef or a mounted file, and rotate the exposed value.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("generic-api-key", "API key or token", Assignment(),
            "access", "api", "auth", "key", "credential", "creds", "passwd", "password", "secret", "token")
        {
            MinEntropy = 3.5,
            RequireDigit = true,
            Stopwords = LoadStopwords(),
            AnchoredSearch = new(AnchoredAssignment(), GenericAssignment.Candidates),
            Allowlist =
            [
                Allow(OnlyLettersAndPunctuation()),
                Allow(NotACredentialName(), AllowTarget.Match),
                // Kubernetes and SOPS specifics: encrypted values and secretKeyRef names are not secrets.
                Allow(SopsEncrypted()),
                // age recipients are public keys.
                Allow(AgeRecipient()),
            ],
        },
    ];

    private const string AssignmentPattern =
        @"(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'""]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'""\s=]{0,5}([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?:[\x60'""\s;]|\\[nr]|$)";

    [GeneratedRegex(AssignmentPattern, RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\G(?:" + AssignmentPattern + ")", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredAssignment();

    [GeneratedRegex("^[a-zA-Z_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OnlyLettersAndPunctuation();

    /// <summary>Names and contexts that hold a keyword but no credential (after gitleaks' generic-api-key allowlist).</summary>
    [GeneratedRegex(@"(?i)(?:access(?:ibility|or)|access[_.-]?id|random[_.-]?access|api[_.-]?(?:id|name|version)|rapid|capital|[a-z0-9-]*?api[a-z0-9-]*?:jar:|author|X-MS-Exchange-Organization-Auth|Authentication-Results|(?:credentials?[_.-]?id|withCredentials)|(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence)[_.-]?key|(?:turkey)|key[_.-]?(?:alias|board|code|frame|id|length|mesh|name|pair|press(?:ed)?|ring|selector|signature|size|stone|storetype|word|up|down|left|right)|key[_.-]?vault[_.-]?(?:id|name)|keyVaultToStoreSecrets|key(?:store|tab)[_.-]?(?:file|path)|issuerkeyhash|(?-i:[DdMm]onkey|[DM]ONKEY)|keying|(?:secret)[_.-]?(?:length|name|size)|UserSecretsId|(?:csrf)[_.-]?token|(?:io\.jsonwebtoken[ \t]?:[ \t]?[\w-]+)|(?:api|credentials|token)[_.-]?(?:endpoint|ur[il])|public[_.-]?token|(?:key|token)[_.-]?file|(?-i:(?:[A-Z_]+=\n[A-Z_]+=|[a-z_]+=\n[a-z_]+=)(?:\n|\z))|(?-i:(?:[A-Z.]+=\n[A-Z.]+=|[a-z.]+=\n[a-z.]+=)(?:\n|\z)))", RegexOptions.CultureInvariant)]
    private static partial Regex NotACredentialName();

    [GeneratedRegex(@"^ENC\[AES256_GCM", RegexOptions.CultureInvariant)]
    private static partial Regex SopsEncrypted();

    [GeneratedRegex("^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$", RegexOptions.CultureInvariant)]
    private static partial Regex AgeRecipient();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a Helm value", "secrets:\n  apiKey: \"tk_9f3Kq2LmX8vR7pWz4NcY6bHd\"\n", true, "values.yaml"),
        new("a token in a shell script", "export SERVICE_TOKEN=4f9d2c7be81a0e35c6d94b27f0a18e3c\n", true, "deploy.sh"),
        new("a key name, not a key", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  keyName: primary-signing-key\n", false),
        new("a placeholder", "apiKey: \"your-secure-api-key-here\"\n", false, "values.yaml"),
        new("module checksums in go.sum", "golang.org/x/oauth2 v0.36.0 h1:peZ/1z27fi9hUOFCAZaHyrpWG5lwe0RJEEEeH0ThlIs=\ngolang.org/x/oauth2 v0.36.0/go.mod h1:YDBUJMTkDnJS+A4BP4eZBjCqtokkg1hODuPjwiGPO7Q=\n", false, "go.sum"),
        new("a SOPS-encrypted value", "password: ENC[AES256_GCM,data:Zm9vYmFyYmF6cXV4,iv:6a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d=,tag:Q2xhc3NpY1RhZ1ZhbHVl==,type:str]\n", false, "secret.enc.yaml"),
        new("a value sealed for the Sealed Secrets controller (RSA-4096)", SealedExample, false, "sealed.yaml"),
    ];

    /// <summary>What <c>keyward seal</c> (and kubeseal) write: a session key wrapped with RSA-OAEP, then AES-GCM.</summary>
    internal const string SealedExample = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  encryptedData:\n    password: AgA4Um8tGz3N6+UFngtDswypl/7/gsna+s28QkjtTLKXN0rVfZ11geBohqSFrLMeQ/ZkZDw7Bb8xdwmjIzy2+l3axJwXWJjrc7TUEeBSV1nVcHhlBcl6WBkFNPOy5R7xyHcyKJatXgx/cF7XVZTrX7wuoVtK22eJFSm89BHuLEcQ5pJZ6N6nZ15llSOhtl5iFTgXpQKxkrKx+NDEF4aI/IHnX5G0watDfkpqixI2795kQZ2utLYQN/mKAks+G2gkiUKmyJ/6XkzfYZjuS721bxQjSVupk/9uEqf/5abvdBL3Zod5qB6F7xjqqh5nfG64/uIs35hlLFo6qJKuFTb/n9DqGK/oW7+HQ1G75klCaClg3d1eaP3Y3RzxlQVz3UVuWcVP+oApFQWPJeDa44rZsYbAVwPwkNstR8u5in/IGI2E+1ftqnnZmBdVNsPD4C3H0lEtUp4FjtPGTupKpKpkH2d9D6n/8jWB8zfVMspfGY/5DYActg2Ik/7h0ZxprkBU9ci2IMsz8gUtMCF/yHq/oBh2r0+xaweITZUrflhzSkJupgjFHqceFbIJMe83VNng5V3CnAuPigykpBhvILPXHbbWg6siJeTNU7KNepijxhMK/QLl42bgVjEqRQ2xwQGu/syDI0WVkXH5VIG344PwGkN3UYLh0zFZ2ym+nkJT6eBeFMAny2GlJ9/darrlUDZC5OMSZsHCFAgSvQzlNGX+gs9U7kA6\n";

    private static string[] LoadStopwords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("generic-stopwords.txt")
            ?? throw new InvalidOperationException("embedded resource generic-stopwords.txt is missing");
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }
}

/// <summary>Passwords written into connection URLs (<c>postgres://user:password@host</c>).</summary>
public sealed partial class PasswordInUrlRule : CredentialRule
{
    public override string Id => "KW212";
    public override string Name => "password-in-url";
    public override string Title => "Password in a URL";
    public override Severity Severity => Severity.High;
    public override string Why => "Credentials in URLs are copied into logs, process lists, proxies and error messages, on top of the repository.";
    public override string Fix => "Take the password out of the URL and pass it from a Secret (e.g. PGPASSWORD or a mounted file), then rotate it.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("password-in-url", "password in URL", UserInfo(), "://")
        {
            MinEntropy = 2.5,
            Allowlist = [Allow(PlaceholderPassword()), Allow(DocumentationHost(), AllowTarget.Match)],
        },
    ];

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@'""]{1,64}:([^\s:/@'""<>{}$]{4,128})@[a-zA-Z0-9.-]+", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?i)^(?:password|passwd|pass|pwd|secret|changeme|changeit|example|xxx+|\*+|redacted|token)$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPassword();

    /// <summary>
    /// A URL whose host is a documentation name (RFC 2606's example.com, and user.com-style stand-ins) holds a
    /// placeholder. Matched against the whole URL and anchored at its host, so "myuser.company.io" is no such host.
    /// </summary>
    [GeneratedRegex(@"(?i)@(?:[a-z0-9-]+\.)*(?:example|user|username)\.(?:com|org|net)$", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentationHost();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a database URL in a ConfigMap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n  namespace: shop\ndata:\n  DATABASE_URL: postgres://shop:Tr0ub4dor-3x7q@db.shop.svc:5432/shop\n", true),
        new("a placeholder password", "url: postgres://user:password@localhost/db\n", false, "README.md"),
        new("a documentation host", "git clone https://deploy:Zq8vN3kR7tY2wP5x@git.example.com/team/repo.git\n", false, "README.md"),
        new("a host that only contains such a name", "url: https://deploy:Zq8vN3kR7tY2wP5x@myuser.company.io/repo.git\n", true, "ci.sh"),
        new("a variable", "url: https://bot:$GIT_TOKEN@github.com/org/repo.git\n", false, "ci.sh"),
    ];
}
